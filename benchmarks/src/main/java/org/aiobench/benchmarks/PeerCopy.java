package org.aiobench.benchmarks;

import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.aiobench.workloads.PeerCommand;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * A user's copy program as a peer of the engines and of cp ({@code --peer NAME='COMMAND {src} {dst}'}): rsync, xcp, a
 * patched cp, the copy study's own programs. Measured exactly as cp is ({@link PeerBenchmark}) on the trees and cache
 * states of cp, and verified against the manifest: a program that writes wrong data is shown as such, not as a time.
 *
 * <p>The {@code peer} parameter is the peer's name, so configuration ids stay the same for the same name across runs
 * ({@code PeerCopy:cache=warm,fileSize=1M,files=128,peer=rsync}); the command travels beside it in the system property
 * {@value #COMMAND_PROPERTY} (a JSON array: the argument vector), which the runner sets for the fork and records in
 * env.json {@code peers}. By hand: {@code -p peer=rsync -jvmArgsAppend
 * '-Daiobench.peer.command=["rsync","-r","{src}/","{dst}"]'}.
 *
 * <p>What to look for: the peer's ratio to cp in the same rounds, its start cost, its CPU and peak memory beside
 * cp's; and whether its copies are right at all.
 */
@State(Scope.Benchmark)
public class PeerCopy extends PeerBenchmark {
    /** The system property holding the peer's argument vector as a JSON array of strings. */
    public static final String COMMAND_PROPERTY = "aiobench.peer.command";

    @Param({"32K", "1M", "100M"}) public String fileSize;
    @Param({"128"}) public String files;
    @Param({"warm", "cold"}) public String cache;
    @Param({"none"}) public String peer;

    @Override
    protected PeerCommand peer() {
        String json = System.getProperty(COMMAND_PROPERTY);
        if (json == null && PeerCommand.CP_PLAIN_NAME.equals(peer)) return PeerCommand.CP_PLAIN; // built in
        if (json == null) {
            throw new IllegalStateException("peer " + peer + ": no command (the system property " + COMMAND_PROPERTY
                    + " holds it as a JSON array)");
        }
        try {
            return PeerCommand.of(peer, new ObjectMapper().readValue(json, new TypeReference<List<String>>() {}));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(COMMAND_PROPERTY + " is not a JSON array of strings: " + e.getOriginalMessage(), e);
        }
    }

    /** The system property's value for {@code p}. */
    public static String commandProperty(PeerCommand p) {
        try {
            return new ObjectMapper().writeValueAsString(p.argv());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
