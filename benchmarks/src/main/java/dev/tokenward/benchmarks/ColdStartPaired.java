package dev.tokenward.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cold start, interleaved: each round builds a new validator of every subject (untimed) and times its first
 * validation, which fetches the JWKS over loopback, one subject after the other in a rotating order. So every
 * subject meets the same load on a shared machine, and medians, which one slow scheduling does not move, can be
 * compared where {@link ColdStartBenchmark}'s mean throughput says more about the neighbours than the library.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar dev.tokenward.benchmarks.ColdStartPaired [rounds] [subject ...]
 * </pre>
 *
 * <p>Defaults: 3,000 measured rounds after 10,000 warm-up rounds ({@code -DwarmUp=N}); subjects floor, tokenward,
 * nimbus, auth0. The JWKS is served from this JVM ({@link Material#get()} without a material file). Per subject it
 * prints the median, p90 and mean wall time of the first validation (the mean is what {@link ColdStartBenchmark}'s
 * throughput is the inverse of) and the calling thread's mean CPU time in it, and the
 * median time to build the validator and to build it and validate its first token (what an application that builds
 * a validator per tenant or per configuration change pays).
 *
 * <p>The warm-up is long on purpose: code that runs once per new validator (a fresh cache's first insert, the JWKS
 * fetch) is called once per round, and only after some 10,000 calls has the JIT compiled it fully. With a few
 * thousand rounds of warm-up it still ran partly interpreted, and the results compared JIT tiers, not libraries.
 */
public final class ColdStartPaired {
    private ColdStartPaired() {
    }

    /** Runs the rounds and prints one line per subject. */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        List<String> names = args.length > 1 ? List.of(args).subList(1, args.length)
                : List.of("floor", "tokenward", "nimbus", "auth0");
        Material m = Material.get();
        Material.Alg alg = Material.Alg.RS256;
        String[] tokens = m.tokens(alg).valid;
        for (String name : names) {
            try (Subject probe = Subjects.create(name, m, alg, true)) {
                Subjects.selfCheck(name, probe, m, alg);
            }
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int warmUp = Integer.getInteger("warmUp", 10_000);
        long[][] wall = new long[names.size()][rounds];
        long[][] build = new long[names.size()][rounds];
        long[] cpu = new long[names.size()];
        Object sink = null;
        for (int r = -warmUp; r < rounds; r++) {
            for (int k = 0; k < names.size(); k++) {
                int s = Math.floorMod(r + k, names.size());
                long b0 = System.nanoTime();
                Subject fresh = Subjects.create(names.get(s), m, alg, true);
                long b1 = System.nanoTime();
                String token = tokens[Math.floorMod(r, tokens.length)];
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                sink = fresh.validate(token);
                long t1 = System.nanoTime();
                long c1 = threads.getCurrentThreadCpuTime();
                fresh.close();
                if (sink == null) {
                    throw new IllegalStateException(names.get(s) + " returned nothing");
                }
                if (r >= 0) {
                    wall[s][r] = t1 - t0;
                    build[s][r] = b1 - b0;
                    cpu[s] += c1 - c0;
                }
            }
        }
        System.out.printf("cold start RS256, %d interleaved rounds, %s, load average %.1f%n", rounds,
                System.getProperty("java.version"), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| subject | median µs | p90 µs | mean µs | first tokens/s (1/median) | caller CPU µs (mean) "
                + "| build: median µs | build and first token: median µs |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        List<String> lines = new ArrayList<>();
        for (int s = 0; s < names.size(); s++) {
            long[] sorted = wall[s].clone();
            Arrays.sort(sorted);
            double median = sorted[rounds / 2] / 1e3;
            double p90 = sorted[(int) (rounds * 0.9)] / 1e3;
            double mean = Arrays.stream(sorted).average().orElse(0) / 1e3;
            long[] builds = build[s].clone();
            long[] both = new long[rounds];
            for (int r = 0; r < rounds; r++) {
                both[r] = build[s][r] + wall[s][r];
            }
            Arrays.sort(builds);
            Arrays.sort(both);
            lines.add(String.format("| %s | %.0f | %.0f | %.0f | %,.0f | %.0f | %.1f | %.0f |", names.get(s), median, p90, mean,
                    1e6 / median, cpu[s] / 1e3 / rounds, builds[rounds / 2] / 1e3, both[rounds / 2] / 1e3));
        }
        lines.forEach(System.out::println);
        System.exit(0); // the in-JVM JWKS server's threads would keep the JVM alive
    }
}
