package org.aiobench.benchmarks.plan;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import org.aiobench.benchmarks.BasicCopy;
import org.aiobench.benchmarks.CompletionPingPong;
import org.aiobench.benchmarks.CompletionStall;
import org.aiobench.benchmarks.CoopTaskrun;
import org.aiobench.benchmarks.CpBaseline;
import org.aiobench.benchmarks.FallocateCopy;
import org.aiobench.benchmarks.FioCopyBound;
import org.aiobench.benchmarks.FioReference;
import org.aiobench.benchmarks.ForceAsync;
import org.aiobench.benchmarks.ForceAsyncWrite;
import org.aiobench.benchmarks.LargeFileCopy;
import org.aiobench.benchmarks.MemoryUsage;
import org.aiobench.benchmarks.PeerCopy;
import org.aiobench.benchmarks.QueueDepthSweep;
import org.aiobench.benchmarks.RandomRead;
import org.aiobench.benchmarks.RandomWrite;
import org.aiobench.benchmarks.RegisteredBuffersCopy;
import org.aiobench.benchmarks.RegisteredFiles;
import org.aiobench.benchmarks.RingFlagsCopy;
import org.aiobench.benchmarks.SqPoll;
import org.aiobench.benchmarks.ThesisFio;
import org.aiobench.benchmarks.ThinkTime;

/** The experiment groups of results/README.md, in the order a run measures them, with their benchmark classes. */
public enum Group {
    BASIC("basic", BasicCopy.class),
    FALLOCATE("fallocate", FallocateCopy.class),
    REGBUF("regbuf", RegisteredBuffersCopy.class),
    QD("qd", QueueDepthSweep.class),
    MEMORY("memory", MemoryUsage.class),
    RINGFLAGS("ringflags", RingFlagsCopy.class),
    CP("cp", CpBaseline.class),
    /** Large files against plain cp -r and the device (issue 24); cp, the peers and copybound come along. */
    LARGE("large", LargeFileCopy.class),
    /** fio's read-and-write job on the large tree, the device's copy bound: runs whenever large does. */
    COPYBOUND("copybound", FioCopyBound.class),
    RANDREAD("randread", RandomRead.class, "run"),
    RANDWRITE("randwrite", RandomWrite.class, "run"),
    /** fio's runs of the random-I/O groups' jobs: runs whenever one of them does. */
    FIO("fio", FioReference.class, "run"),
    // the io_uring thesis' experiments (ThesisMatrix; --suite thesis names them all)
    COOP("coop", CoopTaskrun.class, "run"),
    THINKTIME("thinktime", ThinkTime.class, "run"),
    ASYNC("async", ForceAsync.class, "run"),
    ASYNCWRITE("asyncwrite", ForceAsyncWrite.class, "run"),
    REGFILES("regfiles", RegisteredFiles.class, "run"),
    SQPOLL("sqpoll", SqPoll.class, "run"),
    PINGPONG("pingpong", CompletionPingPong.class, "run"),
    STALL("stall", CompletionStall.class, "run"),
    /** fio's runs of the thesis groups' jobs where fio can express them: runs whenever one of them does. */
    THESISFIO("thesisfio", ThesisFio.class, "run"),
    /** The programs given with --peer, on cp's trees and cache states; not a --suite name: --peer selects it. */
    PEER("peer", PeerCopy.class);

    private final String id;
    private final Class<?> benchmarkClass;
    private final String method;

    Group(String id, Class<?> benchmarkClass) {
        this(id, benchmarkClass, "copy");
    }

    Group(String id, Class<?> benchmarkClass, String method) {
        this.id = id;
        this.benchmarkClass = benchmarkClass;
        this.method = method;
    }

    /** The group's name in the CLI, progress.json and the file name jmh/&lt;id&gt;.json. */
    public String id() { return id; }

    /** The JMH benchmark, as JMH names it in its results. */
    public String benchmark() { return benchmarkClass.getName() + "." + method; }

    public static Group parse(String s) {
        for (Group g : suites()) if (g.id.equals(s.trim().toLowerCase(Locale.ROOT))) return g;
        if (PEER.id.equals(s.trim().toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("the peer group measures the programs given with --peer NAME='COMMAND"
                    + " {src} {dst}'; it is not a --suite name");
        }
        throw new IllegalArgumentException("unknown suite '" + s.trim() + "' (known: " + names() + ", or " + THESIS
                + " for all of " + thesis().stream().map(Group::id).toList() + ")");
    }

    /** The group of this id as the results name it ({@code peer} included), for reading a run back. */
    public static Group byId(String id) {
        Group g = ofId(id);
        if (g == null) throw new IllegalArgumentException("unknown group '" + id + "'");
        return g;
    }

    /** The group of this id, or null (a file written by another version may name one this one does not have). */
    public static Group ofId(String id) {
        for (Group g : values()) if (g.id.equals(id)) return g;
        return null;
    }

    /** The groups --suite names, in run order: every group but the peers, which --peer selects. */
    public static List<Group> suites() {
        return Arrays.stream(values()).filter(g -> g != PEER).toList();
    }

    /** "basic, fallocate, ..." */
    public static String names() {
        return suites().stream().map(Group::id).collect(Collectors.joining(", "));
    }

    /**
     * Parses "basic,qd" (or "all"; null, no option given, is all too), keeping the run order; a random-I/O group
     * brings its fio reference along.
     */
    public static List<Group> parseList(String s) {
        if (s == null || s.trim().equals("all")) return suites();
        List<Group> wanted = Arrays.stream(s.split(",")).filter(x -> !x.isBlank())
                .flatMap(x -> x.trim().equalsIgnoreCase(THESIS) ? thesis().stream()
                        : x.trim().equalsIgnoreCase(REGRESSION) ? Matrix.REGRESSION_GROUPS.stream()
                        : java.util.stream.Stream.of(parse(x)))
                .toList();
        // an empty list must not mean "everything": --suite "" once started the full study (hours)
        if (wanted.isEmpty()) throw new IllegalArgumentException("no group named in '" + s + "' (known: " + names() + ")");
        boolean randio = wanted.contains(RANDREAD) || wanted.contains(RANDWRITE);
        boolean mirrored = wanted.stream().anyMatch(ThesisMatrix.MIRRORED::contains);
        boolean large = wanted.contains(LARGE);
        return suites().stream().filter(g -> wanted.contains(g) || g == FIO && randio || g == THESISFIO && mirrored
                || (g == CP || g == COPYBOUND) && large).toList();
    }

    /** --suite regression: the covering subset for tracking a kernel ({@link Matrix#regression}). */
    public static final String REGRESSION = "regression";

    /** --suite thesis: every group of the io_uring thesis' experiments. */
    public static final String THESIS = "thesis";

    /** The thesis' groups, in run order. */
    public static List<Group> thesis() {
        return suites().stream().filter(ThesisMatrix::covers).toList();
    }

    /**
     * Whether cp (and the peers) measure the size sweep: with a group that copies it, or when cp is all there is;
     * not when cp came along with the large-file group only (then it measures the large tree). {@code --suite cp,large}
     * is read the same way: cp on the large tree; {@code --suite basic,large} gives both.
     */
    public static boolean cpSweep(List<Group> groups) {
        if (!groups.contains(CP)) return false;
        return groups.stream().anyMatch(g -> g == BASIC || g == FALLOCATE || g == REGBUF || g == QD || g == MEMORY
                || g == RINGFLAGS) || !groups.contains(LARGE);
    }

    /** The benchmark's simple class name (BasicCopy), which starts every configuration id. */
    public String benchmarkClassName() {
        String b = benchmark();
        String cls = b.substring(0, b.lastIndexOf('.'));
        return cls.substring(cls.lastIndexOf('.') + 1);
    }
}
