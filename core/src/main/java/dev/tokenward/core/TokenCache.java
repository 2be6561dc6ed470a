package dev.tokenward.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * The verified-token cache: JWTs that passed every check, by the SHA-256 of the token, bounded in
 * entries and age (a hit still re-checks the token's times and that its key is still trusted).
 *
 * <p>Once the cache is full, a token is only cached from its second sighting. An API with many
 * users sees a stream of tokens once each; inserting every one into a full cache made Caffeine
 * evict another entry per new token (and its admission policy would have refused most of them to
 * the main space anyway), which profiling showed as the largest cost of a miss besides the
 * signature. A small table of recently seen hashes (the "door keeper" of TinyLFU) remembers a
 * first sighting; a token that comes back is cached then. While the cache has room every verified
 * token is cached at once, as before. The table only decides <em>whether</em> a token that already
 * passed every check is cached, so a race or a collision in it can cost a verification, never
 * accept a token.
 *
 * <p>Caffeine's maintenance (admission, eviction) runs in the calling thread, under a lock that
 * is only ever tried, never waited for. With Caffeine's default executor every insert into a full
 * cache would hand a maintenance task to the common ForkJoinPool: a thread wake-up per new token.
 * Reads stay lock-free.
 */
final class TokenCache {
  /** A verified JWT with what a hit must re-check. */
  record Entry(VerifiedToken token, IssuerState issuer, ClaimChecks.Times times) {}

  /** Slots of the first-sighting table: one per cache entry, rounded up to a power of two, at most 2^16 (512 KiB). */
  private static final int MAX_SLOTS = 1 << 16;

  private final Cache<TokenHash, Entry> cache;
  private final long maxEntries;
  private final int slotMask;
  // word b of a hash seen once, at the slot its word a picks; plain reads and writes. Made when the cache first
  // fills (128 KiB at the default size), so a validator whose cache never fills never pays for it.
  private volatile long[] firstSightings;

  TokenCache(long maxEntries, Duration ttl, Ticker ticker) {
    this.maxEntries = maxEntries;
    this.cache = Caffeine.newBuilder()
        .maximumSize(maxEntries)
        .expireAfterWrite(ttl)
        .ticker(ticker)
        .executor(Runnable::run)
        .build();
    int slots = Integer.highestOneBit((int) Math.min(MAX_SLOTS, Math.max(16, maxEntries)) * 2 - 1);
    this.slotMask = slots - 1;
  }

  Entry get(TokenHash hash) {
    return cache.getIfPresent(hash);
  }

  /**
   * Whether a token that just verified should be cached: always while the cache has room; once it
   * is full, only when the same token was seen (and verified) before. A first sighting is noted.
   */
  boolean admits(TokenHash hash) {
    if (cache.estimatedSize() < maxEntries) {
      return true;
    }
    long[] seen = firstSightings;
    if (seen == null) {
      firstSightings = seen = new long[slotMask + 1]; // two threads may both make one: a lost note costs a verification
    }
    int slot = (int) hash.a() & slotMask;
    if (seen[slot] == hash.b()) {
      return true;
    }
    seen[slot] = hash.b();
    return false;
  }

  void put(TokenHash hash, Entry entry) {
    cache.put(hash, entry);
  }

  void invalidate(TokenHash hash) {
    cache.invalidate(hash);
  }

  /** Entries held now, without running pending maintenance first (tests). */
  long estimatedSize() {
    return cache.estimatedSize();
  }
}
