package org.aiobench.workloads;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.aiobench.workloads.randio.FioJob;

/**
 * The device's copy bound for a tree, measured by fio: one job reads the tree's own files while another writes as
 * many bytes into new files, at once, with the copy's request size and depth. No copy can move the bytes faster
 * through the same device with the same requests, so an engine's time over this one says how much of the device it
 * leaves unused. fio is the reference because it is what a storage engineer trusts for "what the device does".
 *
 * <p>The job: {@code --name=read --rw=read --filename=F1:F2:...} (the tree's files, read round-robin as the copy
 * reads its files in flight) and {@code --name=write --rw=write --directory=DST --nrfiles=N --filesize=S} (the
 * destination, which the caller empties before each run), both {@code --ioengine=io_uring --bs --iodepth
 * --direct}; the write job's files are preallocated in fio's untimed layout ({@code fallocate=native}, the
 * copy's {@code --fallocate} at no cost), so the bound is an optimistic one. Its time is the longer job's
 * {@code job_runtime} (from its first request to its last, setup excluded); its output is fio's JSON, kept whole.
 * The bytes written are fio's pattern, not a copy: nothing is verified.
 *
 * @param files     the tree's regular files, read in this order
 * @param fileSize  bytes per file (every file of a generated tree has it)
 * @param dst       an empty directory for the write job's files
 * @param bs        request size in bytes
 * @param iodepth   requests in flight per job
 * @param direct    O_DIRECT for both jobs
 */
public record CopyBound(List<Path> files, long fileSize, Path dst, int bs, int iodepth, boolean direct) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one run measured. */
    public record Run(double seconds, long readBytes, long writtenBytes, double readMBps, double writeMBps,
                      String json) {}

    /** Why the bound cannot be measured here (fio not installed), or null. */
    public static String unavailable() {
        return FioJob.version() == null ? "fio is not installed (" + FioJob.INSTALL_HINT + "): the device's copy bound"
                + " is fio's read-and-write job" : null;
    }

    /** fio's options for the job, in the order given (the program first). */
    public List<String> command() {
        // a file smaller than the request size is copied in one request of its size, so fio's bs is at most that
        long request = Math.min(bs, fileSize);
        List<String> c = new ArrayList<>(List.of("fio", "--output-format=json", "--ioengine=io_uring",
                "--bs=" + request, "--iodepth=" + iodepth, "--direct=" + (direct ? 1 : 0), "--group_reporting=0"));
        StringBuilder names = new StringBuilder();
        for (Path f : files) {
            if (!names.isEmpty()) names.append(':');
            names.append(f.toString().replace(":", "\\:")); // fio separates file names with ':'
        }
        c.addAll(List.of("--name=read", "--rw=read", "--filename=" + names));
        c.addAll(List.of("--name=write", "--rw=write", "--directory=" + dst, "--nrfiles=" + files.size(),
                "--filesize=" + fileSize, "--size=" + fileSize * files.size(), "--fallocate=native"));
        return c;
    }

    /**
     * Runs the job once and keeps fio's JSON in {@code json}.
     *
     * @throws IOException fio failed (its exit status and output in the message)
     */
    public Run run(Path json) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command()).redirectErrorStream(false).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("fio did not finish within 10 minutes");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("fio exited with " + p.exitValue() + ": " + (err + text).strip().lines().limit(5)
                    .reduce((a, b) -> a + " / " + b).orElse(""));
        }
        if (json != null) Files.writeString(json, text);
        return parse(text);
    }

    /** The run fio's JSON describes: the longer job's runtime, each job's bytes and bandwidth. */
    static Run parse(String text) throws IOException {
        int start = text.indexOf('{'); // fio may print notes before its JSON
        if (start < 0) throw new IOException("fio printed no JSON: " + text.strip().lines().findFirst().orElse(""));
        JsonNode root = JSON.readTree(text.substring(start));
        double ms = 0;
        long readBytes = 0;
        long written = 0;
        double rbw = 0;
        double wbw = 0;
        for (JsonNode job : root.path("jobs")) {
            if (job.path("error").asInt(0) != 0) {
                throw new IOException("fio job " + job.path("jobname").asText() + " failed with error "
                        + job.path("error").asInt());
            }
            ms = Math.max(ms, job.path("job_runtime").asDouble());
            readBytes += job.path("read").path("io_bytes").asLong();
            written += job.path("write").path("io_bytes").asLong();
            rbw += job.path("read").path("bw_bytes").asDouble();
            wbw += job.path("write").path("bw_bytes").asDouble();
        }
        if (!root.path("jobs").elements().hasNext()) throw new IOException("fio's JSON has no jobs");
        // job_runtime counts whole milliseconds: a job shorter than one (a tiny tree) is taken as half of one
        double seconds = Math.max(ms, 0.5) / 1e3;
        return new Run(seconds, readBytes, written, rbw / 1e6, wbw / 1e6, text);
    }
}
