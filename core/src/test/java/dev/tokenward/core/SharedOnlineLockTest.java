package dev.tokenward.core;

import static dev.tokenward.core.ValidatorTestSupport.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.ValidatorTestSupport.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The single flight across replicas ({@link SharedOnlineCache#tryLock}) as the validator uses it, with
 * a cache in maps whose lock the test holds as "another replica": the waiter takes the holder's answer,
 * asks the issuer itself when the lock is never freed, freed without an answer, or cannot be taken, and
 * always frees its own lock. tokenward-redis tests the real lock against a real Redis.
 */
class SharedOnlineLockTest {
  private static final String OPAQUE = "q9Wk2mPx7RtY4wZ8vB3nL6jD1fG5sA0cHh";
  private final FakeIssuer issuer = new FakeIssuer();
  private final MutableClock clock = new MutableClock();
  private final LockingCache shared = new LockingCache(clock);
  private final String key = SharedAnswers.key(issuer.issuer(), OpaqueTokenPolicy.USERINFO, OPAQUE);

  @AfterEach
  void stop() throws Exception {
    issuer.close();
  }

  /** {@link SharedStateTest.MapCache} with a lock that never expires by itself, and a hook run on every read. */
  static final class LockingCache implements SharedOnlineCache {
    final SharedStateTest.MapCache map;
    final Map<String, String> locks = new ConcurrentHashMap<>();
    final AtomicInteger reads = new AtomicInteger();
    final AtomicInteger lockAttempts = new AtomicInteger();
    volatile IntConsumer onRead = n -> {};
    volatile boolean lockFails;

    LockingCache(java.time.Clock clock) {
      this.map = new SharedStateTest.MapCache(clock);
    }

    @Override
    public Optional<String> get(String key) throws IOException {
      onRead.accept(reads.incrementAndGet());
      return map.get(key);
    }

    @Override
    public void put(String key, String answer, Duration ttl) throws IOException {
      map.put(key, answer, ttl);
    }

    @Override
    public Optional<Lease> tryLock(String key, Duration ttl) throws IOException {
      lockAttempts.incrementAndGet();
      if (lockFails) {
        throw new IOException("connection reset");
      }
      String nonce = UUID.randomUUID().toString();
      if (locks.putIfAbsent(key, nonce) != null) {
        return Optional.empty();
      }
      return Optional.of(() -> locks.remove(key, nonce));
    }
  }

  private AccessTokenValidator replica(Duration callTimeout) {
    return AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .opaqueTokens(OpaqueTokenPolicy.USERINFO).clock(clock).sharedOnlineCache(shared)
        .httpClient(new OkHttpClient.Builder().callTimeout(callTimeout).build()).build();
  }

  /** The answer as another replica stores it: {@code {"until": ..., "answer": {...}}}. */
  private void storeAnswerOfAnotherReplica(String subject) {
    try {
      shared.map.put(key, "{\"until\":" + (clock.millis() + 60_000) + ",\"answer\":{\"sub\":\"" + subject + "\"}}",
          Duration.ofSeconds(60));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void validateWhenAnotherReplicaHoldsTheLockThenWaitsForItsAnswerAndCallsNobody() throws Exception {
    issuer.opaque(OPAQUE, Map.of("sub", "from-the-issuer"));
    shared.locks.put(key, "another replica");
    shared.onRead = n -> {
      if (n == 3) {
        storeAnswerOfAnotherReplica("from-another-replica");
      }
    };
    try (AccessTokenValidator b = replica(Duration.ofSeconds(30))) {
      assertThat(b.validate(OPAQUE).subject()).isEqualTo("from-another-replica");
    }
    assertThat(issuer.hits("/userinfo")).isZero();
    assertThat(shared.reads.get()).isEqualTo(3);
    assertThat(shared.lockAttempts.get()).isEqualTo(2);
    assertThat(shared.locks).containsEntry(key, "another replica");
  }

  @Test
  void validateWhenTheLockIsNeverFreedThenAsksTheIssuerAfterItsCallTimeoutAndSharesTheAnswer() throws Exception {
    issuer.opaque(OPAQUE, Map.of("sub", "from-the-issuer"));
    shared.locks.put(key, "a replica that died");
    try (AccessTokenValidator b = replica(Duration.ofMillis(300))) {
      assertThat(b.validate(OPAQUE).subject()).isEqualTo("from-the-issuer");
    }
    assertThat(issuer.hits("/userinfo")).isEqualTo(1);
    assertThat(shared.lockAttempts.get()).isGreaterThan(1); // it waited, retrying the lock with a backoff
    assertThat(shared.map.values).containsOnlyKeys(key);
    assertThat(shared.locks).containsEntry(key, "a replica that died"); // never freed another's lock
  }

  @Test
  void validateWhenTheHolderFreesTheLockWithoutAnAnswerThenTheWaiterTakesItAsksAndFreesIt() throws Exception {
    issuer.opaque(OPAQUE, Map.of("sub", "from-the-issuer"));
    shared.locks.put(key, "a replica whose call failed");
    shared.onRead = n -> {
      if (n == 2) {
        shared.locks.clear();
      }
    };
    try (AccessTokenValidator b = replica(Duration.ofSeconds(30))) {
      assertThat(b.validate(OPAQUE).subject()).isEqualTo("from-the-issuer");
    }
    assertThat(issuer.hits("/userinfo")).isEqualTo(1);
    assertThat(shared.reads.get()).as("read, wait, read, lock taken, read again before calling").isEqualTo(3);
    assertThat(shared.locks).isEmpty();
    assertThat(shared.map.values).containsOnlyKeys(key);
  }

  @Test
  void validateWhenTheAnswerIsStoredJustBeforeTheLockIsTakenThenItIsUsedAndTheLockFreed() throws Exception {
    issuer.opaque(OPAQUE, Map.of("sub", "from-the-issuer"));
    // another replica stores its answer and frees its lock between this replica's first read and its lock
    shared.onRead = n -> {
      if (n == 2) {
        storeAnswerOfAnotherReplica("stored-meanwhile");
      }
    };
    try (AccessTokenValidator b = replica(Duration.ofSeconds(30))) {
      assertThat(b.validate(OPAQUE).subject()).isEqualTo("stored-meanwhile");
    }
    assertThat(issuer.hits("/userinfo")).isZero();
    assertThat(shared.lockAttempts.get()).isEqualTo(1);
    assertThat(shared.locks).isEmpty();
  }

  @Test
  void validateWhenTheLockCannotBeTakenThenAsksTheIssuerAtOnceWithoutWriting() throws Exception {
    issuer.opaque(OPAQUE, Map.of("sub", "from-the-issuer"));
    shared.lockFails = true;
    try (AccessTokenValidator b = replica(Duration.ofSeconds(30))) {
      assertThat(b.validate(OPAQUE).subject()).isEqualTo("from-the-issuer");
    }
    assertThat(issuer.hits("/userinfo")).isEqualTo(1);
    assertThat(shared.lockAttempts.get()).isEqualTo(1);
    assertThat(shared.map.values).isEmpty();
  }

  @Test
  void validateWhenTheIssuerRefusesTheTokenThenRefusedTheLockFreedAndNothingShared() {
    try (AccessTokenValidator b = replica(Duration.ofSeconds(30))) {
      assertRefused(() -> b.validate(OPAQUE), Reason.INACTIVE);
    }
    assertThat(issuer.hits("/userinfo")).isEqualTo(1);
    assertThat(shared.locks).isEmpty();
    assertThat(shared.map.values).isEmpty();
  }
}
