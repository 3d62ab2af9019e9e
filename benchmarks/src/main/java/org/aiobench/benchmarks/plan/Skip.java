package org.aiobench.benchmarks.plan;

import java.util.Map;

/** One configuration not run, and why, as the plan decides it and skipped.json holds it. */
public record Skip(String group, String benchmark, Map<String, String> params, String reason) {
    /** The skipped configuration's id (as samples.jsonl's config). */
    public String configId() { return new Configuration(Group.byId(group), params).id(); }
}
