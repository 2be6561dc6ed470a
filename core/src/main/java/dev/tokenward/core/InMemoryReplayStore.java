package dev.tokenward.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The default {@link DpopReplayStore}: a Caffeine cache whose records expire when their proof
 * would be too old anyway. Its size is capped: once {@code maxEntries} unexpired records exist, a
 * new proof is refused (the caller answers 503) instead of evicting a record, because an evicted
 * record is a proof that could be replayed. A small overshoot under concurrent inserts is absorbed
 * by Caffeine's own bound, set slightly above.
 */
final class InMemoryReplayStore implements DpopReplayStore {
  private final long maxEntries;
  private final Clock clock;
  private final Lazy<Cache<String, Long>> records; // key -> expiry in epoch millis; made by the first proof

  InMemoryReplayStore(long maxEntries, Clock clock) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("dpopReplayStore: maxEntries must be at least 1, got " + maxEntries);
    }
    this.maxEntries = maxEntries;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.records = new Lazy<>(() -> Caffeine.newBuilder()
        .maximumSize(maxEntries + maxEntries / 8 + 64)
        .expireAfter(Expiry.creating((String k, Long expiresAt) ->
            Duration.ofMillis(Math.max(0, expiresAt - clock.millis()))))
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        .<String, Long>build());
  }

  @Override
  public boolean firstUse(String key, Instant expiresAt) throws IOException {
    Cache<String, Long> records = this.records.get();
    if (records.estimatedSize() >= maxEntries) {
      records.cleanUp(); // drop what has expired before deciding the store is full
      if (records.estimatedSize() >= maxEntries) {
        if (records.asMap().containsKey(key)) {
          return false; // a replay is still recognised when full
        }
        throw new IOException("the in-memory DPoP replay store holds " + maxEntries
            + " unexpired proofs, its maximum; raise dpopReplayStore's size or share a store");
      }
    }
    long expiry = expiresAt.toEpochMilli();
    Long previous = records.asMap().putIfAbsent(key, expiry);
    return previous == null;
  }

  /** Whether the first proof has made the records' cache yet (for tests). */
  boolean started() {
    return records.made();
  }

  /** Records held now, expired ones not yet dropped included (for tests). */
  long size() {
    Cache<String, Long> records = this.records.get();
    records.cleanUp();
    return records.estimatedSize();
  }

  @Override
  public String toString() {
    return "InMemoryReplayStore{max=" + maxEntries + "}";
  }
}
