package org.aiobench.workloads.randio;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.aiobench.engines.EngineOptions;
import org.aiobench.engines.Engines;
import org.aiobench.engines.nat.Affinity;
import org.aiobench.workloads.Sizes;

/**
 * One random-I/O job, in fio's terms: {@code numjobs} threads, each with its own engine instance (its own ring or
 * AIO context) and {@code iodepth} I/Os of {@code bs} bytes always queued or in flight. Time-based (a ramp, then
 * {@code runtime} measured) or a fixed number of I/Os per job ({@code ios}, after the ramp).
 *
 * <p>Parameter names are the same in the CLI ({@code --name}), the JMH parameters and the results:
 * {@link #PARAMS}. {@link #fromParams} is the one place they are parsed.
 *
 * @param engine      sync, posixaio, libaio, io_uring (any engine of {@link Engines})
 * @param rw          randread, randwrite, read, write, randrw
 * @param rwmixread   percent reads of randrw
 * @param bs          bytes per I/O: 512 to 1M, a multiple of 512
 * @param iodepth     I/Os in flight per job
 * @param numjobs     threads, each with its own engine
 * @param direct      O_DIRECT
 * @param rampNanos   I/O before the measured window (not counted)
 * @param runtimeNanos the measured window (time-based jobs)
 * @param ios         when &gt; 0: the window ends after this many I/Os per job instead
 * @param thinkcycles iterations of a busy loop, one spin after each I/O issued (fio's thinkcycles: one x86 PAUSE
 *                    per iteration, as fio's)
 * @param batchSubmit fio's iodepth_batch_submit: a completed slot's next I/O is handed to the kernel as soon as
 *                    this many are queued while others are still in flight (1, fio's default: at once); what is
 *                    left goes with the next wait, in one call. 0: everything queued waits for that call (the
 *                    fewest system calls; on a virtio disk the device then gets its I/Os in bursts)
 * @param cpus        CPUs each job thread is pinned to (empty: not pinned), fio's cpus_allowed
 * @param regbuf      io_uring registered buffers
 * @param regfiles    io_uring registered files
 * @param ringFlags   io_uring setup and SQE flags ({@link EngineOptions#withRingFlagsSpec}), "none" for none
 * @param aioPoll     posixaio: busy-poll aio_error instead of aio_suspend
 * @param seed        seeds the offset generator of every job (job i uses its own stream)
 * @param verify      check every read's sector headers in the measured window too (fio's verify); otherwise reads
 *                    are checked during the ramp and after the window only, as fio without verify= checks none
 */
public record JobSpec(String engine, Rw rw, int rwmixread, int bs, int iodepth, int numjobs, boolean direct,
                      long rampNanos, long runtimeNanos, long ios, long thinkcycles, int batchSubmit, List<Integer> cpus,
                      boolean regbuf, boolean regfiles, String ringFlags, boolean aioPoll, long seed,
                      boolean verify) {

    /** The smallest I/O, and the unit the target's data is laid out in (one header per 512 bytes). */
    public static final int SECTOR = 512;
    public static final int MAX_BS = 1 << 20;
    public static final int MAX_IODEPTH = 65536;
    public static final int MAX_NUMJOBS = 1024;
    public static final long DEFAULT_SEED = 20240625L;

    /** Every parameter name {@link #fromParams} knows, in the order the CLI and the results list them. */
    public static final List<String> PARAMS = List.of("engine", "rw", "rwmixread", "bs", "iodepth", "numjobs",
            "direct", "ramp", "runtime", "ios", "thinkcycles", "batchSubmit", "cpus", "regbuf", "regfiles", "ringFlags",
            "aioPoll", "seed", "verify");

    public JobSpec {
        cpus = List.copyOf(cpus);
        ringFlags = ringFlags == null || ringFlags.isBlank() ? "none" : ringFlags.replace('+', ',');
    }

    /** fio's defaults where it has them: randread, 4K, iodepth 1, one job, 10 s, buffered. */
    public static JobSpec defaults(String engine) {
        return new JobSpec(engine, Rw.RANDREAD, 50, 4096, 1, 1, false, 0, 10_000_000_000L, 0, 0, 1, List.of(),
                false, false, "none", false, DEFAULT_SEED, false);
    }

    /**
     * A spec from named values (JMH parameters, or the CLI's options collected by name); missing names keep
     * {@link #defaults}. Throws IllegalArgumentException with one line for a value that is not one.
     */
    public static JobSpec fromParams(Map<String, String> p) {
        for (String k : p.keySet()) {
            if (!PARAMS.contains(k)) throw new IllegalArgumentException("unknown job parameter '" + k + "' (" + PARAMS + ")");
        }
        JobSpec d = defaults(p.getOrDefault("engine", "sync"));
        JobSpec s = new JobSpec(d.engine,
                p.containsKey("rw") ? Rw.parse(p.get("rw")) : d.rw,
                intOf(p, "rwmixread", d.rwmixread),
                p.containsKey("bs") ? bsOf(p.get("bs")) : d.bs,
                intOf(p, "iodepth", d.iodepth),
                intOf(p, "numjobs", d.numjobs),
                boolOf(p, "direct", d.direct),
                p.containsKey("ramp") ? Durations.parse(p.get("ramp"), "--ramp") : d.rampNanos,
                p.containsKey("runtime") ? Durations.parse(p.get("runtime"), "--runtime") : d.runtimeNanos,
                longOf(p, "ios", d.ios),
                longOf(p, "thinkcycles", d.thinkcycles),
                intOf(p, "batchSubmit", d.batchSubmit),
                p.containsKey("cpus") ? cpusOf(p.get("cpus")) : d.cpus,
                boolOf(p, "regbuf", d.regbuf),
                boolOf(p, "regfiles", d.regfiles),
                p.getOrDefault("ringFlags", d.ringFlags),
                boolOf(p, "aioPoll", d.aioPoll),
                longOf(p, "seed", d.seed),
                boolOf(p, "verify", d.verify));
        s.check();
        return s;
    }

    /** Refuses values no job can run with (one line each); what the target or the kernel decides comes later. */
    public void check() {
        if (!Engines.names().contains(engine)) {
            throw new IllegalArgumentException("--engine: unknown engine '" + engine + "' (" + String.join(", ", Engines.names()) + ")");
        }
        if (bs < SECTOR || bs > MAX_BS || bs % SECTOR != 0) {
            throw new IllegalArgumentException("--bs must be a multiple of 512 from 512 to 1M, got " + bs);
        }
        if (iodepth < 1 || iodepth > MAX_IODEPTH) {
            throw new IllegalArgumentException("--iodepth must be from 1 to " + MAX_IODEPTH + ", got " + iodepth);
        }
        if (numjobs < 1 || numjobs > MAX_NUMJOBS) {
            throw new IllegalArgumentException("--numjobs must be from 1 to " + MAX_NUMJOBS + ", got " + numjobs);
        }
        if (rwmixread < 0 || rwmixread > 100) {
            throw new IllegalArgumentException("--rwmixread must be a percentage from 0 to 100, got " + rwmixread);
        }
        if (ios < 0) throw new IllegalArgumentException("--ios must be >= 0, got " + ios);
        if (ios == 0 && runtimeNanos <= 0) {
            throw new IllegalArgumentException("--runtime must be greater than zero (or give --ios)");
        }
        if (thinkcycles < 0) throw new IllegalArgumentException("--thinkcycles must be >= 0, got " + thinkcycles);
        if (batchSubmit < 0 || batchSubmit > iodepth) {
            throw new IllegalArgumentException("--batch-submit must be from 0 to iodepth (" + iodepth + "), got " + batchSubmit);
        }
        if (!cpus.isEmpty()) {
            List<Integer> allowed = Arrays.stream(Affinity.currentThreadCpus()).boxed().toList();
            for (int c : cpus) {
                if (!allowed.contains(c)) {
                    throw new IllegalArgumentException("--cpus: CPU " + c + " is not one this process may run on "
                            + allowed);
                }
            }
        }
        engineOptions(); // parses the ring flags: a bad flag is refused here
    }

    /** The engine's options: the ring or context holds exactly {@code iodepth} requests. */
    public EngineOptions engineOptions() {
        return EngineOptions.defaults(iodepth).withRegbuf(regbuf).withRegfiles(regfiles)
                .withRingFlagsSpec(ringFlags).withPosixPolling(aioPoll);
    }

    public boolean timeBased() { return ios == 0; }

    /** The parameters as named values, {@link #fromParams}'s inverse (defaults included). */
    public Map<String, String> params() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("engine", engine);
        m.put("rw", rw.fioName());
        m.put("rwmixread", Integer.toString(rwmixread));
        m.put("bs", Sizes.format(bs));
        m.put("iodepth", Integer.toString(iodepth));
        m.put("numjobs", Integer.toString(numjobs));
        m.put("direct", Boolean.toString(direct));
        m.put("ramp", Durations.format(rampNanos));
        m.put("runtime", Durations.format(runtimeNanos));
        m.put("ios", Long.toString(ios));
        m.put("thinkcycles", Long.toString(thinkcycles));
        m.put("batchSubmit", Integer.toString(batchSubmit));
        m.put("cpus", cpus.stream().map(String::valueOf).collect(Collectors.joining(",")));
        m.put("regbuf", Boolean.toString(regbuf));
        m.put("regfiles", Boolean.toString(regfiles));
        m.put("ringFlags", ringFlags);
        m.put("aioPoll", Boolean.toString(aioPoll));
        m.put("seed", Long.toString(seed));
        m.put("verify", Boolean.toString(verify));
        return m;
    }

    /** fio's own summary line: "rw=randread, bs=4K, ioengine=io_uring, iodepth=64, numjobs=1, direct=1 ...". */
    public String label() {
        StringBuilder b = new StringBuilder();
        b.append("rw=").append(rw.fioName());
        if (rw == Rw.RANDRW) b.append(", rwmixread=").append(rwmixread);
        b.append(", bs=").append(Sizes.format(bs)).append(", ioengine=").append(engine)
                .append(", iodepth=").append(iodepth).append(", numjobs=").append(numjobs)
                .append(", direct=").append(direct ? 1 : 0);
        if (timeBased()) b.append(", runtime=").append(Durations.format(runtimeNanos));
        else b.append(", ios=").append(ios);
        if (rampNanos > 0) b.append(", ramp=").append(Durations.format(rampNanos));
        if (thinkcycles > 0) b.append(", thinkcycles=").append(thinkcycles);
        if (batchSubmit != 1) b.append(", batch_submit=").append(batchSubmit);
        if (!cpus.isEmpty()) b.append(", cpus=").append(params().get("cpus"));
        if (regbuf) b.append(", regbuf");
        if (regfiles) b.append(", regfiles");
        if (!ringFlags.equals("none")) b.append(", flags=").append(ringFlags);
        if (aioPoll) b.append(", aio-poll");
        if (verify) b.append(", verify");
        return b.toString();
    }

    private static int intOf(Map<String, String> p, String k, int dflt) {
        if (!p.containsKey(k)) return dflt;
        return org.aiobench.workloads.Numbers.parseInt(p.get(k), "--" + k);
    }

    private static long longOf(Map<String, String> p, String k, long dflt) {
        if (!p.containsKey(k)) return dflt;
        return org.aiobench.workloads.Numbers.parseLong(p.get(k), "--" + k);
    }

    private static boolean boolOf(Map<String, String> p, String k, boolean dflt) {
        if (!p.containsKey(k)) return dflt;
        String v = p.get(k).trim().toLowerCase(Locale.ROOT);
        if (Set.of("true", "1", "yes").contains(v)) return true;
        if (Set.of("false", "0", "no").contains(v)) return false;
        throw new IllegalArgumentException("--" + k + ": '" + p.get(k) + "' is not true or false");
    }

    private static int bsOf(String s) {
        long v = Sizes.parse(s, "--bs");
        if (v > MAX_BS) throw new IllegalArgumentException("--bs must be a multiple of 512 from 512 to 1M, got " + s);
        return (int) v;
    }

    /** "0,2-3" as fio's cpus_allowed writes it. */
    static List<Integer> cpusOf(String s) {
        if (s.isBlank()) return List.of();
        try {
            return Arrays.stream(s.split(",")).map(String::trim).flatMap(part -> {
                int dash = part.indexOf('-');
                if (dash < 0) return java.util.stream.Stream.of(Integer.parseInt(part));
                int a = Integer.parseInt(part.substring(0, dash)), b = Integer.parseInt(part.substring(dash + 1));
                if (b < a) throw new IllegalArgumentException("--cpus: range " + part + " runs backwards");
                return java.util.stream.IntStream.rangeClosed(a, b).boxed();
            }).toList();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--cpus: '" + s + "' is not a CPU list (examples: 0, 0,2, 1-3)");
        }
    }
}
