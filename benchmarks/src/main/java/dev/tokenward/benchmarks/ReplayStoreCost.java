package dev.tokenward.benchmarks;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.DpopReplayStore;
import dev.tokenward.core.TokenRequest;
import dev.tokenward.test.DpopKey;
import dev.tokenward.redis.LocalRedis;
import dev.tokenward.redis.RedisSharedState;
import dev.tokenward.test.TestIssuer;
import java.lang.management.ManagementFactory;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What sharing the DPoP replay store on Redis costs (issue #17), as a timed harness rather than JMH:
 * the question is a latency distribution (p50/p99) of whole DPoP requests and Redis's memory, not a
 * mean throughput.
 *
 * <ol>
 *   <li><b>Added latency per DPoP request</b>: two validators of one in-process test issuer, one with the
 *       default in-memory replay store and one with {@link RedisSharedState} on a local redis-server
 *       (loopback, started here), validate the same kind of request ({@code Authorization: DPoP} with a
 *       bound ES256 JWT and a fresh ES256 proof, the token a cache hit), interleaved one for one so that load
 *       from elsewhere on the machine hits both alike. Printed: p50/p99 of each and the difference.</li>
 *   <li><b>The store's own round trip</b>: {@code firstUse} alone ({@code SET NX PX}), single caller.</li>
 *   <li><b>Memory</b>: {@code INFO used_memory} before and after recording N proofs (keys as the validator
 *       makes them: prefix + 43 base64url characters, a 301 s TTL), per proof and per million.</li>
 * </ol>
 */
public final class ReplayStoreCost {
  private static final String URL = "https://api.bench.test/api/private";

  private ReplayStoreCost() {}

  public static void main(String[] args) throws Exception {
    int requests = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int proofs = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    int warmUp = Math.max(1_000, requests / 5);
    System.out.printf(Locale.ROOT, "load average at start: %.2f on %d cores; JDK %s%n",
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"));
    try (LocalRedis redis = LocalRedis.start()) {
      TestIssuer issuer = TestIssuer.defaults().start();
      try (AccessTokenValidator local = issuer.validatorBuilder().build();
          AccessTokenValidator shared = issuer.validatorBuilder()
              .sharedState(RedisSharedState.builder().uri(redis.uri()).build()).build()) {
        DpopKey client = DpopKey.es256();
        String token = issuer.jwt().boundTo(client).sign();
        long[] inMemory = new long[requests];
        long[] onRedis = new long[requests];
        for (int i = -warmUp; i < requests; i++) {
          // proofs are made outside the timed region: they are the client's cost
          TokenRequest a = request(token, client.proof().method("GET").url(URL).accessToken(token).sign());
          TokenRequest b = request(token, client.proof().method("GET").url(URL).accessToken(token).sign());
          long t0 = System.nanoTime();
          local.validate(a);
          long t1 = System.nanoTime();
          shared.validate(b);
          long t2 = System.nanoTime();
          if (i >= 0) {
            inMemory[i] = t1 - t0;
            onRedis[i] = t2 - t1;
          }
        }
        System.out.println();
        System.out.println("DPoP request (ES256 proof verified, token from the cache, replay record), " + requests
            + " each, interleaved:");
        System.out.println("| replay store | p50 | p99 | mean |");
        System.out.println("|---|---|---|---|");
        row("in memory (default)", inMemory);
        row("Redis, loopback", onRedis);
        System.out.printf(Locale.ROOT, "| added by Redis | %s | %s | %s |%n", us(pct(onRedis, 50) - pct(inMemory, 50)),
            us(pct(onRedis, 99) - pct(inMemory, 99)), us(mean(onRedis) - mean(inMemory)));
      } finally {
        issuer.close();
      }

      try (RedisSharedState store = RedisSharedState.builder().uri(redis.uri()).build()) {
        DpopReplayStore replay = store.dpopReplayStore();
        int n = Math.max(10_000, requests * 2);
        long[] rtt = new long[n];
        for (int i = -n / 5; i < n; i++) {
          String key = "rtt-" + i;
          long t0 = System.nanoTime();
          replay.firstUse(key, Instant.now().plusSeconds(301));
          if (i >= 0) {
            rtt[i] = System.nanoTime() - t0;
          }
        }
        System.out.println();
        System.out.println("| firstUse alone (SET NX PX, one caller) | p50 | p99 | mean |");
        System.out.println("|---|---|---|---|");
        row("Redis, loopback", rtt);

        redis.command("FLUSHALL");
        long before = redis.usedMemory();
        SecureRandom random = new SecureRandom();
        Instant until = Instant.now().plusSeconds(301);
        AtomicLong next = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new java.util.ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < 8; t++) {
          done.add(pool.submit(() -> {
            byte[] digest = new byte[32];
            while (next.getAndIncrement() < proofs) {
              random.nextBytes(digest); // a SHA-256 of thumbprint and jti, as the validator makes it
              replay.firstUse(Base64.getUrlEncoder().withoutPadding().encodeToString(digest), until);
            }
            return null;
          }));
        }
        for (Future<?> f : done) {
          f.get();
        }
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        long after = redis.usedMemory();
        long keys = Long.parseLong((String) redis.command("DBSIZE"));
        double perProof = (after - before) / (double) keys;
        System.out.println();
        System.out.printf(Locale.ROOT, "memory: %d proofs recorded (%d keys) in %.1f s (%.0f/s, 8 callers on one "
            + "connection); used_memory %d -> %d bytes: %.0f bytes per proof, %.1f MB per million%n", proofs, keys,
            seconds, proofs / seconds, before, after, perProof, perProof * 1_000_000 / 1e6);
        System.out.println("redis-server " + redisVersion(redis));
      }
    }
  }

  private static TokenRequest request(String token, String proof) {
    return TokenRequest.builder("GET", URL).authorization("DPoP " + token).dpopProof(proof).build();
  }

  private static String redisVersion(LocalRedis redis) throws Exception {
    for (String line : ((String) redis.command("INFO", "server")).split("\r\n")) {
      if (line.startsWith("redis_version:")) {
        return line.substring(14);
      }
    }
    return "?";
  }

  private static void row(String name, long[] nanos) {
    System.out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", name, us(pct(nanos, 50)), us(pct(nanos, 99)),
        us(mean(nanos)));
  }

  private static long pct(long[] nanos, int p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private static long mean(long[] nanos) {
    return (long) Arrays.stream(nanos).average().orElse(0);
  }

  private static String us(long nanos) {
    return String.format(Locale.ROOT, "%.1f µs", nanos / 1000.0);
  }
}
