package dev.tokenward.core;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * Shares the issuer's userinfo and introspection answers between the replicas of a service, so one
 * opaque token costs one call to the issuer across all of them within the cache period, not one per
 * replica (Auth0 rate-limits {@code /userinfo}, and the replicas that hit the limit first would start
 * refusing valid users). Each validator's local online cache stays in front of it.
 *
 * <p>The validator derives every key from the token by SHA-256 and writes only answers that passed
 * its checks, as JSON; it checks an answer again when it reads one. A cache that cannot answer throws,
 * and the validator asks the issuer itself: unlike the {@link DpopReplayStore}, this cache only saves
 * calls, so its failure costs a call, never a refusal. {@code tokenward-redis} implements it on Redis;
 * implementations must be thread-safe.
 *
 * <p>A cache that can also lock ({@link #tryLock}) closes the last gap: one new token reaching several
 * replicas at the same instant. The replica that takes the lock asks the issuer; the others wait for its
 * answer, at most the issuer's call timeout, and ask the issuer themselves if none comes. A cache
 * without locking keeps the default, under which every replica that misses asks the issuer.
 */
public interface SharedOnlineCache {
  /**
   * The answer stored under {@code key}, if there is one that has not expired.
   *
   * @param key 43 characters of {@code [A-Za-z0-9_-]}: a hash of the token, the issuer and the policy, never the token
   * @throws IOException when the cache cannot answer (a runtime exception is treated the same way)
   */
  Optional<String> get(String key) throws IOException;

  /**
   * Stores {@code answer} under {@code key} for {@code ttl}, replacing what was there.
   *
   * @param ttl positive; never longer than the validator's online-cache time or the token's remaining lifetime
   * @throws IOException when the cache cannot store it (the answer is then kept locally only)
   */
  void put(String key, String answer, Duration ttl) throws IOException;

  /**
   * Takes, for at most {@code ttl}, the lock on asking the issuer about {@code key}'s token, so that
   * of the replicas missing the same token at once only one asks; the others see it held, wait for the
   * answer the holder stores with {@link #put}, and ask themselves when the wait runs out. The lock
   * must end by itself after {@code ttl} (a holder that dies never blocks the others for longer) and
   * {@link Lease#release()} must free only the lock this call took, never one taken after it expired.
   * The default does not coordinate: every caller gets {@link Lease#NONE} at once.
   *
   * @param key as for {@link #get}
   * @param ttl positive: the issuer's call timeout, the longest the others wait
   * @return the lease, to release once the answer is stored or the call failed; empty when another
   *     replica holds the lock
   * @throws IOException when the cache cannot answer (the caller then asks the issuer without waiting)
   */
  default Optional<Lease> tryLock(String key, Duration ttl) throws IOException {
    return Optional.of(Lease.NONE);
  }

  /** A lock taken by {@link #tryLock}: released by its holder, or ended by its time. */
  @FunctionalInterface
  interface Lease {
    /** The lease of a cache that does not lock: every caller holds it, and releasing it does nothing. */
    Lease NONE = () -> {};

    /**
     * Frees the lock if this lease still holds it; a lock that expired and was taken by another
     * replica is left alone.
     *
     * @throws IOException when the cache cannot answer (the lock then ends by its time)
     */
    void release() throws IOException;
  }
}
