package org.aiobench.engines;

import java.util.Locale;

/**
 * io_uring setup and SQE options, named as on the command line, in JMH parameters and in results
 * ({@code coop_taskrun}, {@code sqpoll} ...). {@code sqpoll_cpu=N} is carried by {@link EngineOptions#sqpollCpu()}.
 */
public enum RingFlag {
    COOP_TASKRUN, TASKRUN_FLAG, SINGLE_ISSUER, DEFER_TASKRUN, SQPOLL, IOPOLL, SUBMIT_ALL,
    /** IOSQE_ASYNC on every SQE: punt each request to io-wq. */
    ASYNC;

    public String cliName() { return name().toLowerCase(Locale.ROOT); }

    public static RingFlag parse(String s) {
        for (RingFlag f : values()) if (f.cliName().equals(s.trim().toLowerCase(Locale.ROOT))) return f;
        StringBuilder known = new StringBuilder();
        for (RingFlag f : values()) known.append(known.isEmpty() ? "" : ", ").append(f.cliName());
        throw new IllegalArgumentException("unknown ring flag '" + s + "' (known: " + known + ", sqpoll_cpu=N, sqpoll_idle=MS)");
    }
}
