package dev.tokenward.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.OpaqueTokenPolicy;
import dev.tokenward.core.SharedOnlineCache;
import dev.tokenward.core.ValidationListener;
import dev.tokenward.core.VerifiedToken;
import dev.tokenward.test.IssuerEndpoint;
import dev.tokenward.test.TestIssuer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The single flight across replicas for a new opaque token ({@code SET <prefix>online-lock:<key> <nonce> NX PX}),
 * against a real redis-server ({@link LocalRedis}): one userinfo call when replicas meet a token at the
 * same instant, a dead lock holder that delays the others by at most their wait, and Redis down as before.
 */
class RedisOnlineLockTest {
  @RegisterExtension
  static final RedisFixture fixture = RedisFixture.server();
  private final LocalRedis redis = fixture.redis();
  private final TestIssuer issuer = fixture.issuer();

  /** Counts the shared-answer events of one replica. */
  static final class SharedCounts implements ValidationListener {
    final AtomicInteger hits = new AtomicInteger();
    final AtomicInteger misses = new AtomicInteger();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public void sharedOnlineCacheHit(String issuer) {
      hits.incrementAndGet();
    }

    @Override
    public void sharedOnlineCacheMiss(String issuer) {
      misses.incrementAndGet();
    }

    @Override
    public void sharedOnlineCacheFailed(String issuer, Exception cause) {
      failures.incrementAndGet();
    }

    @Override
    public void onlineCall(String issuer, OpaqueTokenPolicy policy) {
      calls.incrementAndGet();
    }
  }

  private RedisSharedState state() {
    return fixture.state(Duration.ofSeconds(5));
  }

  /** A replica whose calls to the issuer time out after {@code callTimeout}: the lock's time and the others' wait. */
  private AccessTokenValidator replica(SharedOnlineCache cache, Duration callTimeout, ValidationListener listener) {
    AccessTokenValidator v = issuer.validatorBuilder().sharedOnlineCache(cache)
        .httpClient(new OkHttpClient.Builder().callTimeout(callTimeout).build())
        .opaqueTokens(OpaqueTokenPolicy.USERINFO).listener(listener).build();
    return fixture.closeAfter(v);
  }

  private AccessTokenValidator replica(ValidationListener listener) {
    return replica(state().onlineCache(), Duration.ofSeconds(5), listener);
  }

  @Test
  void tryLockWhenHeldThenOthersAreRefusedAndReleaseFreesOnlyTheHoldersOwnLock() throws Exception {
    SharedOnlineCache a = state().onlineCache();
    SharedOnlineCache b = state().onlineCache();

    SharedOnlineCache.Lease first = a.tryLock("k", Duration.ofMillis(300)).orElseThrow();
    assertThat(b.tryLock("k", Duration.ofSeconds(10))).isEmpty();
    assertThat(a.tryLock("k", Duration.ofSeconds(10))).isEmpty();
    assertThat(Long.parseLong((String) redis.command("PTTL", "tokenward:online-lock:k"))).isBetween(1L, 300L);

    first.release();
    assertThat(redis.keys()).isEmpty();
    SharedOnlineCache.Lease second = b.tryLock("k", Duration.ofSeconds(10)).orElseThrow();
    first.release(); // late: the lock is b's now
    assertThat(redis.command("EXISTS", "tokenward:online-lock:k")).isEqualTo("1");
    second.release();
    assertThat(redis.command("EXISTS", "tokenward:online-lock:k")).isEqualTo("0");
  }

  @Test
  void validateWhenThreadsOfThreeReplicasMeetANewOpaqueTokenAtOnceThenOneUserinfoCall() throws Exception {
    List<SharedCounts> counts = List.of(new SharedCounts(), new SharedCounts(), new SharedCounts());
    List<AccessTokenValidator> replicas = counts.stream().map(this::replica).toList();
    // the issuer's answer takes longer than every replica's first look into Redis: without the lock each would call
    issuer.delay(IssuerEndpoint.USERINFO, Duration.ofMillis(300));
    int threadsPerReplica = 4;
    int threads = replicas.size() * threadsPerReplica;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 1; round <= 3; round++) {
        String opaque = issuer.opaqueToken(TestIssuer.DEMO_CLIENT, "read:messages");
        CyclicBarrier together = new CyclicBarrier(threads);
        List<Future<VerifiedToken>> answers = new ArrayList<>();
        for (AccessTokenValidator replica : replicas) {
          for (int i = 0; i < threadsPerReplica; i++) {
            answers.add(pool.submit(() -> {
              together.await(30, TimeUnit.SECONDS);
              return replica.validate(opaque);
            }));
          }
        }
        for (Future<VerifiedToken> answer : answers) {
          assertThat(answer.get(60, TimeUnit.SECONDS).scopes()).contains("read:messages");
        }
        assertThat(issuer.requestCount(IssuerEndpoint.USERINFO)).as("userinfo calls after round %d", round)
            .isEqualTo(round);
        // each replica looked into Redis once per token (its other threads joined its call): one miss, two hits
        assertThat(counts.stream().mapToInt(c -> c.misses.get()).sum()).isEqualTo(round);
        assertThat(counts.stream().mapToInt(c -> c.hits.get()).sum()).isEqualTo(2 * round);
        assertThat(counts.stream().mapToInt(c -> c.calls.get()).sum()).isEqualTo(round);
        assertThat(counts.stream().mapToInt(c -> c.failures.get()).sum()).isZero();
        assertThat(redis.keys()).noneMatch(k -> k.startsWith("tokenward:online-lock:")).noneMatch(k -> k.contains(opaque));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** Thrown where a replica dies: after taking the lock, before asking the issuer or storing an answer. */
  static final class Killed extends Error {
    Killed() {
      super("the replica died holding the lock");
    }
  }

  @Test
  void validateWhenTheLockHolderDiesThenAnotherReplicaAsksTheIssuerAfterItsWaitAndAThirdGetsThatAnswer()
      throws Exception {
    SharedOnlineCache redisCache = state().onlineCache();
    SharedOnlineCache dying = new SharedOnlineCache() {
      @Override
      public Optional<String> get(String key) throws IOException {
        return redisCache.get(key);
      }

      @Override
      public void put(String key, String answer, Duration ttl) throws IOException {
        redisCache.put(key, answer, ttl);
      }

      @Override
      public Optional<Lease> tryLock(String key, Duration ttl) throws IOException {
        redisCache.tryLock(key, ttl).orElseThrow();
        throw new Killed();
      }
    };
    // the dead replica's lock lives for its call timeout, 60 s; the others wait for at most theirs, 1 s
    AccessTokenValidator dead = replica(dying, Duration.ofSeconds(60), new SharedCounts());
    SharedCounts aCounts = new SharedCounts();
    SharedCounts bCounts = new SharedCounts();
    AccessTokenValidator a = replica(state().onlineCache(), Duration.ofSeconds(1), aCounts);
    AccessTokenValidator b = replica(state().onlineCache(), Duration.ofSeconds(1), bCounts);
    String opaque = issuer.opaqueToken(TestIssuer.DEMO_CLIENT, "read:messages");

    assertThatThrownBy(() -> dead.validate(opaque)).isInstanceOf(Killed.class);
    String lock = redis.keys().stream().filter(k -> k.startsWith("tokenward:online-lock:")).findFirst().orElseThrow();
    assertThat(Long.parseLong((String) redis.command("PTTL", lock))).isGreaterThan(50_000L);

    assertThat(a.validate(opaque).scopes()).contains("read:messages");
    assertThat(issuer.requestCount(IssuerEndpoint.USERINFO)).isEqualTo(1);
    assertThat(aCounts.misses.get()).isEqualTo(1);
    // a answered while the dead holder's lock still stood: it waited for its own bound, not for the lock's end
    assertThat(Long.parseLong((String) redis.command("PTTL", lock))).isGreaterThan(30_000L);

    assertThat(b.validate(opaque).scopes()).contains("read:messages");
    assertThat(issuer.requestCount(IssuerEndpoint.USERINFO)).isEqualTo(1);
    assertThat(bCounts.hits.get()).isEqualTo(1);
    assertThat(bCounts.calls.get()).isZero();
  }

  @Test
  void validateWhenRedisIsDownThenEveryReplicaAsksTheIssuerAtOnceAsWithoutLocking() throws Exception {
    List<SharedCounts> counts = List.of(new SharedCounts(), new SharedCounts(), new SharedCounts());
    List<AccessTokenValidator> replicas = counts.stream().map(this::replica).toList();
    String opaque = issuer.opaqueToken(TestIssuer.DEMO_CLIENT, "read:messages");
    redis.stop();
    try {
      for (AccessTokenValidator replica : replicas) {
        assertThat(replica.validate(opaque).scopes()).contains("read:messages");
        assertThat(replica.validate(opaque).scopes()).contains("read:messages"); // the local cache
      }
      assertThat(issuer.requestCount(IssuerEndpoint.USERINFO)).isEqualTo(3);
      // one failed read per replica; no lock is tried and nothing is written once Redis failed
      assertThat(counts).allSatisfy(c -> {
        assertThat(c.failures.get()).isEqualTo(1);
        assertThat(c.hits.get()).isZero();
        assertThat(c.misses.get()).isZero();
        assertThat(c.calls.get()).isEqualTo(1);
      });
    } finally {
      redis.restart();
    }
  }
}
