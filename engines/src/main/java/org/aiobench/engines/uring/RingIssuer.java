package org.aiobench.engines.uring;

import java.util.Map;

import org.aiobench.engines.UnsupportedConfigurationException;
import org.aiobench.engines.nat.Errno;

import static org.aiobench.engines.uring.IoUringAbi.*;

/**
 * The thread that enters a ring first. With single_issuer or defer_taskrun the ring is created disabled
 * (IORING_SETUP_R_DISABLED) and enabled by that thread, which is then its only submitter: the thread that built the
 * engine (a JMH {@code @Setup} thread, say) does not matter. It also registers the ring's descriptor in its own table
 * ({@link Ring#registerRingFd()}), so its enters skip the descriptor lookup. Once per ring, off the hot path.
 */
final class RingIssuer {
    private final Ring ring;
    private final String kernel;
    /** Enabled, and the ring descriptor's registration tried: nothing left to do before an enter. */
    boolean ready;
    private boolean enabled;
    private String enabledBy;
    /** Whether the first entering thread tried IORING_REGISTER_RING_FDS, and what came of it. */
    private boolean ringFdTried;
    private String ringFdFact = "not yet (at the first submit or reap)";

    RingIssuer(Ring ring, String kernel) {
        this.ring = ring;
        this.kernel = kernel;
        enabled = (ring.setupFlags & SETUP_R_DISABLED) == 0;
    }

    /**
     * Enables an R_DISABLED ring from the calling thread, which becomes its submitter (SINGLE_ISSUER), and registers
     * the ring's descriptor for the first thread that enters the ring.
     */
    void enterFirst() {
        if (!enabled) {
            int r = ring.register(REGISTER_ENABLE_RINGS, null, 0);
            if (r < 0) {
                throw new UnsupportedConfigurationException("IORING_REGISTER_ENABLE_RINGS failed with "
                        + Errno.describe(-r) + " (needs Linux 5.10; this kernel is " + kernel + ")");
            }
            enabled = true;
            enabledBy = Thread.currentThread().getName();
        }
        ringFdTried = true;
        ready = true;
        int r = ring.registerRingFd();
        ringFdFact = r == 0 ? "yes: IORING_REGISTER_RING_FDS, index " + ring.registeredIndex() + " in the table of thread '"
                + Thread.currentThread().getName() + "', whose enters pass IORING_ENTER_REGISTERED_RING"
                : "no: IORING_REGISTER_RING_FDS failed with " + Errno.describe(-r)
                  + " (Linux 5.18+, 16 rings per thread); every enter passes the descriptor";
    }

    /** A call that failed with EEXIST: another thread than the ring's submitter made it. */
    IllegalStateException wrongThread(String call) {
        return new IllegalStateException(call + " failed with EEXIST: this ring was created with single_issuer and "
                + "enabled by thread '" + enabledBy + "'; thread '" + Thread.currentThread().getName()
                + "' may not submit to it or register with it");
    }

    void facts(Map<String, String> m) {
        m.put("ring.fd_registered", ringFdFact);
        if ((ring.setupFlags & SETUP_R_DISABLED) != 0) {
            m.put("ring.enabled", enabled ? "lazily, by the first submitting thread '" + enabledBy + "'"
                    : "not yet (created with IORING_SETUP_R_DISABLED; the first submitting thread enables it)");
        }
    }
}
