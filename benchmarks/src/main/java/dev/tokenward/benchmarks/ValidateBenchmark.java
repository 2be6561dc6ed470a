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
import org.openjdk.jmh.infra.ThreadParams;

import java.util.concurrent.TimeUnit;

/**
 * Steady-state validation with a warm key cache. One subject instance is shared by all benchmark threads, as one
 * validator is shared by a server's request threads.
 *
 * <ul>
 *   <li>{@code distinct_*}: each thread walks the {@value Material#VALID_TOKENS} distinct valid tokens round-robin
 *       from its own offset (nothing about a token can be cached between calls);</li>
 *   <li>{@code repeated_*}: the same valid token on every call (best case for CPU caches, and for any validator
 *       that caches results);</li>
 *   <li>{@code invalid_signature}: round-robin over tokens with the right kid and shape but signed by another key;
 *       the subject must reject every one (a subject that accepts one fails the run).</li>
 * </ul>
 * {@code _t1}/{@code _t2}: 1 or 2 benchmark threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ValidateBenchmark {

    @Param({"RS256", "ES256"})
    public String alg;

    @Param({"floor", "floor-claims", "tokenward", "tokenward-nocache", "nimbus", "spring", "auth0", "jose4j"})
    public String subject;

    private Subject validator;
    private String[] valid;
    private String[] invalid;
    private String repeated;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Material m = Material.get();
        Material.Alg a = Material.Alg.valueOf(alg);
        valid = m.tokens(a).valid;
        invalid = m.tokens(a).invalidSignature;
        repeated = valid[0];
        validator = Subjects.create(subject, m, a, false);
        Subjects.selfCheck(subject, validator, m, a); // also fills the key cache
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        validator.close();
    }

    /** Per-thread position in the token arrays; threads start far apart. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        @Setup(Level.Trial)
        public void setUp(ThreadParams thread) {
            next = thread.getThreadIndex() * 1531;
        }
    }

    @Benchmark
    @Threads(1)
    public Object distinct_t1(Cursor c) throws Exception {
        return validator.validate(valid[c.next++ & (valid.length - 1)]);
    }

    @Benchmark
    @Threads(2)
    public Object distinct_t2(Cursor c) throws Exception {
        return validator.validate(valid[c.next++ & (valid.length - 1)]);
    }

    @Benchmark
    @Threads(1)
    public Object repeated_t1() throws Exception {
        return validator.validate(repeated);
    }

    @Benchmark
    @Threads(2)
    public Object repeated_t2() throws Exception {
        return validator.validate(repeated);
    }

    @Benchmark
    @Threads(1)
    public Object invalid_signature(Cursor c) {
        String token = invalid[c.next++ & (invalid.length - 1)];
        try {
            validator.validate(token);
        } catch (Exception expected) {
            return expected;
        }
        throw new AssertionError(subject + " accepted a token with a forged signature");
    }
}
