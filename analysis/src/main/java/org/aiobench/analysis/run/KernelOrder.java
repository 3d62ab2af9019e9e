package org.aiobench.analysis.run;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kernel releases in their natural order, as history lays runs out: 6.1.9 before 6.1.10 before 6.10, a missing
 * component as 0 (6.1 is 6.1.0), a release candidate before its release (6.2-rc3 before 6.2), then the rest of the
 * release string with its numbers compared as numbers (6.1.0-9-amd64 before 6.1.0-13-amd64).
 */
public final class KernelOrder implements Comparator<String> {
    public static final KernelOrder INSTANCE = new KernelOrder();

    private static final Pattern RELEASE = Pattern.compile("^(\\d+(?:\\.\\d+)*)(?:-rc(\\d+))?(.*)$");
    private static final Pattern CHUNK = Pattern.compile("\\d+|\\D+");

    private KernelOrder() {}

    /** Runs by kernel release, then by when they were made (createdAt), then by id. */
    public static final Comparator<RunData> RUNS = Comparator.<RunData, String>comparing(RunData::kernelRelease, INSTANCE)
            .thenComparing(KernelOrder::created).thenComparing(RunData::runId);

    private static Instant created(RunData r) {
        try {
            return Instant.parse(r.env.path("createdAt").asText(""));
        } catch (DateTimeParseException e) {
            return Instant.MIN;
        }
    }

    @Override
    public int compare(String a, String b) {
        Matcher ma = RELEASE.matcher(a), mb = RELEASE.matcher(b);
        if (!ma.matches() || !mb.matches()) {
            // a release that does not start with a version goes after every one that does
            if (ma.matches() != mb.matches()) return ma.matches() ? -1 : 1;
            return natural(a, b);
        }
        String[] va = ma.group(1).split("\\."), vb = mb.group(1).split("\\.");
        for (int i = 0; i < Math.max(va.length, vb.length); i++) {
            int c = Long.compare(i < va.length ? Long.parseLong(va[i]) : 0, i < vb.length ? Long.parseLong(vb[i]) : 0);
            if (c != 0) return c;
        }
        String rca = ma.group(2), rcb = mb.group(2);
        if (rca != null || rcb != null) {
            if (rca == null) return 1;
            if (rcb == null) return -1;
            int c = Long.compare(Long.parseLong(rca), Long.parseLong(rcb));
            if (c != 0) return c;
        }
        return natural(ma.group(3), mb.group(3));
    }

    /** Digit runs compared as numbers, everything else as text. */
    static int natural(String a, String b) {
        List<String> ca = chunks(a), cb = chunks(b);
        for (int i = 0; i < Math.min(ca.size(), cb.size()); i++) {
            String x = ca.get(i), y = cb.get(i);
            boolean dx = Character.isDigit(x.charAt(0)), dy = Character.isDigit(y.charAt(0));
            int c;
            if (dx && dy) {
                String tx = x.replaceFirst("^0+(?=\\d)", ""), ty = y.replaceFirst("^0+(?=\\d)", "");
                c = tx.length() != ty.length() ? Integer.compare(tx.length(), ty.length()) : tx.compareTo(ty);
            } else {
                c = x.compareTo(y);
            }
            if (c != 0) return c;
        }
        return Integer.compare(ca.size(), cb.size());
    }

    private static List<String> chunks(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = CHUNK.matcher(s);
        while (m.find()) out.add(m.group());
        return out;
    }
}
