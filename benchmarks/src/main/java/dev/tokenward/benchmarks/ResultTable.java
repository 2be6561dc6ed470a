package dev.tokenward.benchmarks;

import com.nimbusds.jose.util.JSONObjectUtils;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JMH JSON results to a Markdown table: scenario, subject, ops/s, ±error (JMH's 99.9% confidence half-width; with
 * fewer than 3 measurement iterations JMH gives none, and half the min–max spread of the iterations is shown instead,
 * marked {@code r}), ratio to the bare-signature floor of the same scenario (subject ops/s ÷ floor ops/s, same run),
 * B/op ({@code gc.alloc.rate.norm}).
 */
public final class ResultTable {

    private static final List<String> SCENARIOS = List.of(
            "first_seen_t1", "first_seen_t2", "distinct_t1", "distinct_t2", "repeated_t1", "repeated_t2",
            "invalid_signature", "first_validation");
    private static final List<String> ALGS = List.of("RS256", "ES256");

    private ResultTable() {
    }

    static final class Row {
        String method;
        String alg;
        String subject;
        int threads;
        double score;
        double error;
        String unit;
        double bytesPerOp = Double.NaN;
        /** CPU time per operation of the validating threads, where the benchmark measures it. */
        double cpuMicrosPerOp = Double.NaN;
        /** First-seen: the floor's CPU time over the same tokens ÷ the subject's, measured seconds apart. */
        double pairedCpuRatio = Double.NaN;
        /** Half the spread of the measurement iterations, shown when JMH gives no error (fewer than 3). */
        double halfRange = Double.NaN;
    }

    public static String markdown(String jmhJson) throws ParseException {
        List<Row> rows = parse(jmhJson);
        Map<String, Double> floor = new HashMap<>();
        for (Row r : rows) {
            if (r.subject.equals("floor")) floor.put(r.method + "/" + r.alg, r.score);
        }
        rows.sort(Comparator.<Row>comparingInt(r -> index(SCENARIOS, r.method))
                .thenComparingInt(r -> index(ALGS, r.alg))
                .thenComparingInt(r -> index(Subjects.ALL, r.subject)));

        StringBuilder sb = new StringBuilder();
        sb.append("| scenario | subject | ops/s | ± error | ratio to floor | B/op | CPU µs/op | paired CPU ratio |\n");
        sb.append("|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            Double f = floor.get(r.method + "/" + r.alg);
            sb.append("| ").append(scenario(r)).append(" | ").append(r.subject.equals("?") ? "-" : r.subject)
                    .append(" | ").append(num(r.score))
                    .append(" | ").append(!Double.isNaN(r.error) ? num(r.error)
                            : Double.isNaN(r.halfRange) ? "n/a" : num(r.halfRange) + " r")
                    .append(" | ").append(f == null || f == 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", r.score / f))
                    .append(" | ").append(Double.isNaN(r.bytesPerOp) ? "n/a"
                            : String.format(Locale.ROOT, "%,.0f", r.bytesPerOp))
                    .append(" | ").append(Double.isNaN(r.cpuMicrosPerOp) ? ""
                            : String.format(Locale.ROOT, "%.1f", r.cpuMicrosPerOp))
                    .append(" | ").append(Double.isNaN(r.pairedCpuRatio) ? ""
                            : String.format(Locale.ROOT, "%.2f", r.pairedCpuRatio))
                    .append(" |\n");
        }
        return sb.toString();
    }

    static String scenario(Row r) {
        switch (r.method) {
            case "first_seen_t1": return "first-seen " + r.alg + ", 1T";
            case "first_seen_t2": return "first-seen " + r.alg + ", 2T";
            case "distinct_t1": case "distinct_t2": return "distinct " + r.alg + ", " + r.threads + "T";
            case "repeated_t1": case "repeated_t2": return "repeated " + r.alg + ", " + r.threads + "T";
            case "invalid_signature": return "invalid sig " + r.alg + ", " + r.threads + "T";
            case "first_validation": return "cold start " + r.alg;
            default: return r.method + (r.alg.equals("?") ? "" : " " + r.alg) + ", " + r.threads + "T";
        }
    }

    private static String num(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static int index(List<String> order, String value) {
        int i = order.indexOf(value);
        return i < 0 ? order.size() : i;
    }

    @SuppressWarnings("unchecked")
    static List<Row> parse(String jmhJson) throws ParseException {
        Map<String, Object> root = JSONObjectUtils.parse("{\"results\":" + jmhJson + "}");
        List<Row> rows = new ArrayList<>();
        for (Object o : (List<Object>) root.get("results")) {
            Map<String, Object> b = (Map<String, Object>) o;
            Row r = new Row();
            String benchmark = (String) b.get("benchmark");
            r.method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
            Map<String, Object> params = (Map<String, Object>) b.getOrDefault("params", Map.of());
            r.alg = String.valueOf(params.getOrDefault("alg", "?"));
            r.subject = String.valueOf(params.getOrDefault("subject", "?"));
            r.threads = ((Number) b.get("threads")).intValue();
            Map<String, Object> primary = (Map<String, Object>) b.get("primaryMetric");
            r.score = number(primary.get("score"));
            r.error = number(primary.get("scoreError"));
            r.unit = (String) primary.get("scoreUnit");
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            int n = 0;
            for (Object fork : (List<Object>) primary.getOrDefault("rawData", List.of())) {
                for (Object v : (List<Object>) fork) {
                    min = Math.min(min, number(v));
                    max = Math.max(max, number(v));
                    n++;
                }
            }
            if (n >= 2) {
                r.halfRange = (max - min) / 2;
            }
            Map<String, Object> secondary = (Map<String, Object>) b.getOrDefault("secondaryMetrics", Map.of());
            Object norm = secondary.get("gc.alloc.rate.norm");
            Object bytes = secondary.get("allocatedBytes");
            Object validations = secondary.get("validations");
            if (bytes != null && validations != null) {
                // FirstSeenBenchmark measures around its timed loops; the gc profiler would include its set-up
                double count = number(((Map<String, Object>) validations).get("score"));
                r.bytesPerOp = number(((Map<String, Object>) bytes).get("score")) / count;
                Object cpu = secondary.get("cpuNanos");
                if (cpu != null) {
                    r.cpuMicrosPerOp = number(((Map<String, Object>) cpu).get("score")) / count / 1000;
                    Object floorCpu = secondary.get("floorCpuNanos");
                    if (floorCpu != null) {
                        r.pairedCpuRatio = number(((Map<String, Object>) floorCpu).get("score"))
                                / number(((Map<String, Object>) cpu).get("score"));
                    }
                }
            } else if (norm != null) {
                r.bytesPerOp = number(((Map<String, Object>) norm).get("score"));
            }
            rows.add(r);
        }
        return rows;
    }

    private static double number(Object o) {
        if (o instanceof Number) return ((Number) o).doubleValue();
        try {
            return Double.parseDouble(String.valueOf(o));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
