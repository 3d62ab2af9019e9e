package org.aiobench.workloads;

import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

import org.aiobench.engines.CompletionHandler;
import org.aiobench.engines.IoEngine;
import org.aiobench.engines.Links;
import org.aiobench.engines.Op;

/**
 * Fault injection at the engine's boundary, where the kernel's results come back: wraps a real engine and makes
 * the first read of {@code victimLength} bytes or more come up short (half of it; a write linked to it is
 * reported cancelled, as the kernel would), then answers the read that continues it with {@code continuation}
 * (-EIO, say) instead of its real result, or leaves it alone when {@code continuation} is 0. Everything else
 * passes through. A real device error (device-mapper's error target) needs a kernel with device-mapper.
 */
final class ShortReadEngine extends ForwardingEngine {
    private record Request(Op op, long length, long offset, int fd) {}

    private final long victimLength;
    private final long continuation;
    private final Map<Long, Request> byTag = new HashMap<>();
    private final Map<Long, Long> successorOf = new HashMap<>();
    private long linkedFromTag = Long.MIN_VALUE;
    private Request shortened;          // the read made short, while its continuation is awaited
    private long cancelTag = Long.MIN_VALUE;
    int shortReads;
    int failedContinuations;

    ShortReadEngine(IoEngine real, long victimLength, long continuation) {
        super(real);
        this.victimLength = victimLength;
        this.continuation = continuation;
    }

    @Override
    public void queue(Op op, long tag, int fd, MemorySegment buffer, long length, long offset, int flags) {
        successorOf.remove(tag);
        if (linkedFromTag != Long.MIN_VALUE) successorOf.put(linkedFromTag, tag);
        byTag.put(tag, new Request(op, length, offset, fd));
        linkedFromTag = (flags & LINK) != 0 ? tag : Long.MIN_VALUE;
        real.queue(op, tag, fd, buffer, length, offset, flags);
    }

    @Override
    public int reap(int min, CompletionHandler handler) {
        return real.reap(min, (tag, res) -> handler.complete(tag, rewrite(tag, res)));
    }

    @Override
    public int submitAndReap(int min, CompletionHandler handler) {
        return real.submitAndReap(min, (tag, res) -> handler.complete(tag, rewrite(tag, res)));
    }

    private long rewrite(long tag, long res) {
        Request r = byTag.get(tag);
        if (r == null) return res;
        if (r.op() == Op.READ && shortReads == 0 && r.length() >= victimLength && res == r.length()) {
            shortReads++;
            shortened = r;
            // its linked write (completed for real, after the whole read) must look cancelled, as in the kernel
            Long successor = successorOf.get(tag);
            if (successor != null) cancelTag = successor;
            return r.length() / 2;
        }
        if (tag == cancelTag) {
            cancelTag = Long.MAX_VALUE; // once
            return Links.CANCELED;
        }
        if (shortened != null && r.op() == Op.READ && r.fd() == shortened.fd()
                && r.offset() == shortened.offset() + shortened.length() / 2) {
            shortened = null;
            if (continuation != 0) {
                failedContinuations++;
                return continuation;
            }
        }
        return res;
    }
}
