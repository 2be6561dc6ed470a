package dev.tokenward.core;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;

/**
 * Remembers which DPoP proofs were used, so a proof is accepted once (RFC 9449 section 11.1). The
 * default keeps them in memory, bounded; replicas behind one load balancer share a store (Redis)
 * so a proof used at one replica is a replay at every other.
 *
 * <p>One atomic operation: "record this key until then; was it the first time?". A store that
 * cannot answer (network down, timeout, full) throws, and the request is refused with
 * {@link Reason#REPLAY_STORE_UNAVAILABLE} (503 {@code temporarily_unavailable}): replay protection
 * is never silently skipped. Implementations must be thread-safe.
 */
public interface DpopReplayStore {
  /**
   * Records {@code key} until {@code expiresAt}, atomically: true if the key was not recorded (or its
   * record had expired), false if it is a replay.
   *
   * @param key at most 64 characters of {@code [A-Za-z0-9_-]}, derived by the validator from the
   *     proof key's thumbprint and the proof's {@code jti}; never the proof itself
   * @param expiresAt when the record may be forgotten: after it the proof is too old to be accepted anyway
   * @throws IOException when the store cannot answer (a runtime exception is treated the same way)
   */
  boolean firstUse(String key, Instant expiresAt) throws IOException;

  /**
   * An in-process store holding at most {@code maxEntries} unexpired records; when they are all in
   * use it refuses new proofs (503) rather than forgetting a record that could then be replayed.
   * About 230 bytes per record (measured on JDK 17: 146 in the cache, 83 the key): the default of
   * 100000 is some 23 MB at most.
   */
  static DpopReplayStore inMemory(long maxEntries) {
    return new InMemoryReplayStore(maxEntries, Clock.systemUTC());
  }

  /** As {@link #inMemory(long)}, with the clock the validator uses (tests move it by hand). */
  static DpopReplayStore inMemory(long maxEntries, Clock clock) {
    return new InMemoryReplayStore(maxEntries, clock);
  }
}
