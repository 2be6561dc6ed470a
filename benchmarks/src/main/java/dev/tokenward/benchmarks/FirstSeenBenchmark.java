package dev.tokenward.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.management.ManagementFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * First-seen: every token is new to the validator, and the validator's token cache is full and evicting. This is
 * what an API with many users pays for most requests of a new session, and the case a result cache cannot help.
 *
 * <p>Why not simply "more distinct tokens than the cache holds", round-robin: Caffeine's admission policy
 * (W-TinyLFU) keeps a stable set of equally frequent keys when a loop of keys is larger than the cache, so a
 * 16,384-token loop through a 10,000-entry cache still hits about half the time. Instead each invocation gets a
 * brand-new subject, configured as in {@link ValidateBenchmark} (tokenward: its defaults, 10,000-entry cache),
 * built and then fed {@value Material#FIRST_SEEN_FILL} tokens untimed, so its cache is full (and has started to
 * evict). The timed part validates the next {@value #MEASURED} tokens, none of which it has seen: every lookup is
 * a miss into a full cache (tokenward caches a token in a full cache only from its second sighting, so it does not
 * insert or evict for these; a cache that inserts every token evicts one entry per token). The same procedure is
 * applied to every subject, cache or not.
 *
 * <ul>
 *   <li>{@code first_seen_t1}: one thread validates all {@value #MEASURED};</li>
 *   <li>{@code first_seen_t2}: the JMH thread and one more thread validate half each, at the same time, against the
 *       same subject (one validator shared by two request threads).</li>
 * </ul>
 *
 * Allocation per token is measured here, around the timed loops only (the {@code gc} profiler's figure would
 * include building and filling each subject): {@code allocatedBytes / validations}, which the table prints as B/op;
 * and the validating threads' CPU time, {@code cpuNanos / validations}, printed as CPU µs/op, which a busy machine
 * disturbs less than throughput.
 *
 * <p>On a shared machine even CPU time per token drifts by 10–20 % from minute to minute (other processes evict the
 * CPU caches, the hypervisor steals cycles), so a floor measured minutes before a subject makes a poor ratio. Each
 * invocation therefore also times the bare floor over the very tokens the subject is about to validate, on the same
 * thread, just before the timed loop (in the untimed set-up): {@code floorCpuNanos}. The table's "paired CPU ratio"
 * is {@code floorCpuNanos / cpuNanos}, the floor's CPU time per token over the subject's, measured seconds apart
 * rather than minutes; the floor's own row shows how far the pairing itself scatters.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
public class FirstSeenBenchmark {

    /** Timed validations per invocation. */
    public static final int MEASURED = Material.FIRST_SEEN_TOKENS - Material.FIRST_SEEN_FILL;

    @Param({"RS256"})
    public String alg;

    @Param({"floor", "floor-claims", "tokenward", "tokenward-nocache", "nimbus", "spring", "auth0", "jose4j"})
    public String subject;

    private Material material;
    private Material.Alg algorithm;
    private String[] pool;
    private Subject fresh;
    private Subject pairedFloor;
    private long pendingFloorCpuNanos;
    private ExecutorService secondThread;

    /** Bytes allocated by the timed loops and the validations they made (summed over threads). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Allocation {
        public long allocatedBytes;
        public long validations;
        /** CPU time of the validating threads: on a shared machine, steadier than throughput. */
        public long cpuNanos;
        /** CPU time of the bare floor over the same tokens, just before (see the class comment). */
        public long floorCpuNanos;
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        material = Material.get();
        algorithm = Material.Alg.valueOf(alg);
        pool = material.tokens(algorithm).firstSeen;
        if (pool.length != Material.FIRST_SEEN_TOKENS) {
            throw new IllegalStateException("no first-seen tokens for " + alg);
        }
        try (Subject probe = Subjects.create(subject, material, algorithm, false)) {
            Subjects.selfCheck(subject, probe, material, algorithm);
        }
        pairedFloor = Subjects.create("floor", material, algorithm, false);
        secondThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "first-seen-second-thread");
            t.setDaemon(true);
            return t;
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        secondThread.shutdownNow();
        pairedFloor.close();
    }

    @Setup(Level.Invocation)
    public void newFullSubject() throws Exception {
        fresh = Subjects.create(subject, material, algorithm, false);
        for (int i = 0; i < Material.FIRST_SEEN_FILL; i++) {
            fresh.validate(pool[i]);
        }
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        for (int i = Material.FIRST_SEEN_FILL; i < Material.FIRST_SEEN_TOKENS; i++) {
            if (pairedFloor.validate(pool[i]) == null) {
                throw new IllegalStateException("the floor refused a valid first-seen token");
            }
        }
        pendingFloorCpuNanos = THREADS.getCurrentThreadCpuTime() - cpuBefore;
    }

    @TearDown(Level.Invocation)
    public void closeSubject() throws Exception {
        fresh.close();
        fresh = null;
    }

    @Benchmark
    @OperationsPerInvocation(MEASURED)
    public long first_seen_t1(Allocation allocation) throws Exception {
        allocation.floorCpuNanos += pendingFloorCpuNanos;
        return validate(fresh, Material.FIRST_SEEN_FILL, Material.FIRST_SEEN_TOKENS, allocation);
    }

    @Benchmark
    @OperationsPerInvocation(MEASURED)
    public long first_seen_t2(Allocation allocation) throws Exception {
        Subject s = fresh;
        allocation.floorCpuNanos += pendingFloorCpuNanos;
        int middle = Material.FIRST_SEEN_FILL + MEASURED / 2;
        Allocation other = new Allocation();
        Future<Long> second = secondThread.submit(() -> validate(s, middle, Material.FIRST_SEEN_TOKENS, other));
        long accepted = validate(s, Material.FIRST_SEEN_FILL, middle, allocation);
        accepted += second.get();
        allocation.allocatedBytes += other.allocatedBytes;
        allocation.validations += other.validations;
        allocation.cpuNanos += other.cpuNanos;
        return accepted;
    }

    private long validate(Subject s, int from, int to, Allocation allocation) throws Exception {
        long before = allocatedBytes();
        long cpuBefore = THREADS.getCurrentThreadCpuTime();
        long accepted = 0;
        for (int i = from; i < to; i++) {
            if (s.validate(pool[i]) != null) {
                accepted++;
            }
        }
        allocation.cpuNanos += THREADS.getCurrentThreadCpuTime() - cpuBefore;
        allocation.allocatedBytes += allocatedBytes() - before;
        allocation.validations += to - from;
        if (accepted != to - from) {
            throw new IllegalStateException(subject + " refused a valid first-seen token");
        }
        return accepted;
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long allocatedBytes() {
        return THREADS.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
