package dev.tokenward.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Cold start: a brand-new subject (empty key cache) per invocation, built in an untimed
 * {@code Level.Invocation} setup; the timed call is its first validation, which has to fetch and parse the JWKS
 * over loopback (from the issuer process) before it can verify. The JVM itself is warm: this measures "first token
 * after a validator is created / its cache is empty", not JVM start-up. HTTP keep-alive connections pooled by a
 * library or the JDK survive across invocations, as they would in a running service.
 *
 * <p>For the floors, "cold" means: GET the JWKS with {@code HttpURLConnection}, {@code JWKSet.parse}, pick the kid,
 * verify.
 *
 * <p>The warm-up is twelve 2 s iterations: the code a new validator runs once (its build, the first fetch, the JWKS
 * parse) is called once per invocation, so the JIT compiles it late. With {@code -XX:+PrintCompilation} tokenward's
 * compilations went on until the ninth warm-up iteration, and its score was still climbing in the measurement after
 * eight (first validations per second, iteration by iteration: 309, 696, 1,736 ... 3,821 in warm-up, then 4,206 to
 * 5,775); nimbus's settled by the third. A shorter warm-up compares JIT tiers, not libraries.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 12, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class ColdStartBenchmark {

    @Param({"RS256", "ES256"})
    public String alg;

    @Param({"floor", "floor-claims", "tokenward", "tokenward-nocache", "nimbus", "spring", "auth0", "jose4j"})
    public String subject;

    private Material material;
    private Material.Alg algorithm;
    private String[] valid;
    private int next;
    private Subject fresh;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        material = Material.get();
        algorithm = Material.Alg.valueOf(alg);
        valid = material.tokens(algorithm).valid;
        try (Subject probe = Subjects.create(subject, material, algorithm, true)) {
            Subjects.selfCheck(subject, probe, material, algorithm);
        }
    }

    @Setup(Level.Invocation)
    public void newSubject() throws Exception {
        fresh = Subjects.create(subject, material, algorithm, true);
    }

    @TearDown(Level.Invocation)
    public void closeSubject() throws Exception {
        fresh.close();
        fresh = null;
    }

    @Benchmark
    public Object first_validation() throws Exception {
        return fresh.validate(valid[next++ & (valid.length - 1)]);
    }
}
