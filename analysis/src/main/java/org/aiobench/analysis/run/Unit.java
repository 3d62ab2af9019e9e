package org.aiobench.analysis.run;

/** The unit a figure and its table show a metric in: stored value / divisor. */
public record Unit(String name, double divisor, String quantity) {

    /** Picks a unit so that the largest mean reads between 1 and 1000 where possible. */
    public static Unit forMetric(String metric, double largest) {
        return switch (metric) {
            case Result.TIME -> largest >= 1 ? new Unit("s", 1, "copy time")
                    : largest >= 1e-3 ? new Unit("ms", 1e-3, "copy time") : new Unit("µs", 1e-6, "copy time");
            case "peakRssBytes" -> largest >= 1 << 20 ? new Unit("MiB", 1 << 20, "peak RSS growth")
                    : largest >= 1 << 10 ? new Unit("KiB", 1 << 10, "peak RSS growth")
                    : new Unit("bytes", 1, "peak RSS growth");
            case Result.OPS -> largest >= 1e4 ? new Unit("k", 1e3, "IOPS") : new Unit("", 1, "IOPS");
            case "latP99Us" -> new Unit("µs", 1, "p99 latency");
            case "latMeanUs" -> new Unit("µs", 1, "mean latency");
            case "ioWqWorkers" -> new Unit("", 1, "io-wq workers");
            case "cpuPerIoUs" -> new Unit("µs", 1, "CPU time per I/O");
            default -> new Unit("", 1, metric);
        };
    }

    public double of(double v) {
        return v / divisor;
    }

    public String axisTitle() {
        return name.isEmpty() ? quantity : quantity + " (" + name + ")";
    }
}
