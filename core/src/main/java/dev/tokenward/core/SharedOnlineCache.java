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
}
