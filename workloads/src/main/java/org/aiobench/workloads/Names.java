package org.aiobench.workloads;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * File names are bytes to the kernel, and the copy handles them as bytes; only messages show them as text: UTF-8,
 * with every byte that is not part of valid UTF-8 written as {@code \xNN} (the name {@code bad\xff} reads so).
 */
final class Names {
    private Names() {}

    static String display(byte[] name) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(name);
        CharBuffer out = CharBuffer.allocate(name.length * 4 + 4);
        while (true) {
            CoderResult r = d.decode(in, out, true);
            if (r.isUnderflow()) break;
            for (int i = 0; i < r.length(); i++) out.put(String.format("\\x%02x", in.get() & 0xff));
        }
        d.flush(out);
        return out.flip().toString();
    }

    /** {@code parent/name}, {@code name} shown as {@link #display} does. */
    static String display(String parent, byte[] name) {
        return parent + "/" + display(name);
    }

    /** {@code dir/name} as bytes ({@code name} alone when {@code dir} is empty). */
    static byte[] join(byte[] dir, byte[] name) {
        if (dir.length == 0) return name;
        byte[] p = Arrays.copyOf(dir, dir.length + 1 + name.length);
        p[dir.length] = '/';
        System.arraycopy(name, 0, p, dir.length + 1, name.length);
        return p;
    }

    /** The bytes of a name given as text (a manifest's path, a root given on the command line). */
    static byte[] bytes(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    /** One char per byte: a string that is equal exactly when the bytes are, for sets and maps of names. */
    static String key(byte[] name) {
        return new String(name, StandardCharsets.ISO_8859_1);
    }

    /** The bytes a {@link #key} stands for. */
    static byte[] ofKey(String key) {
        return key.getBytes(StandardCharsets.ISO_8859_1);
    }
}
