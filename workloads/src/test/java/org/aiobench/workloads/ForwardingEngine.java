package org.aiobench.workloads;

import java.lang.foreign.MemorySegment;
import java.util.Map;

import org.aiobench.engines.Capabilities;
import org.aiobench.engines.CompletionHandler;
import org.aiobench.engines.IoEngine;
import org.aiobench.engines.Op;

/** A real engine behind another: tests override what they inject (results, or something done to the files). */
class ForwardingEngine implements IoEngine {
    final IoEngine real;

    ForwardingEngine(IoEngine real) {
        this.real = real;
    }

    @Override public String name() { return real.name(); }
    @Override public Capabilities capabilities() { return real.capabilities(); }
    @Override public void useBuffers(MemorySegment region, long slotSize) { real.useBuffers(region, slotSize); }
    @Override public void fileOpened(int fd) { real.fileOpened(fd); }
    @Override public void fileClosing(int fd) { real.fileClosing(fd); }

    @Override
    public void queue(Op op, long tag, int fd, MemorySegment buffer, long length, long offset, int flags) {
        real.queue(op, tag, fd, buffer, length, offset, flags);
    }

    @Override public int submit() { return real.submit(); }
    @Override public int reap(int min, CompletionHandler handler) { return real.reap(min, handler); }
    @Override public int submitAndReap(int min, CompletionHandler handler) { return real.submitAndReap(min, handler); }
    @Override public int inFlight() { return real.inFlight(); }
    @Override public Map<String, String> facts() { return real.facts(); }
    @Override public void close() { real.close(); }
}
