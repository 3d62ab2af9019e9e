package org.aiobench.analysis.run;

import java.util.Map;

/** One entry of skipped.json: a configuration that was not run, and why. */
public record Skipped(String group, String benchmark, Map<String, String> params, String reason) {

    /** True when every given parameter that this entry names has the given value. */
    public boolean matches(String group, Map<String, String> wanted) {
        return this.group.equals(group) && agrees(params, wanted);
    }

    /** True when every wanted parameter that {@code params} names has the wanted value. */
    static boolean agrees(Map<String, String> params, Map<String, String> wanted) {
        for (var e : wanted.entrySet()) {
            String v = params.get(e.getKey());
            if (v != null && !v.equals(e.getValue())) return false;
        }
        return true;
    }
}
