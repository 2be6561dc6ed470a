package dev.tokenward.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * The verified-token cache: JWTs that passed every check, by the SHA-256 of the token, bounded in
 * entries and age (a hit still re-checks the token's times and that its key is still trusted).
 *
 * <p>Caffeine's maintenance (admission, eviction) runs in the calling thread, under a lock that
 * is only ever tried, never waited for. With Caffeine's default executor every insert into a full
 * cache would hand a maintenance task to the common ForkJoinPool: a thread wake-up per new token,
 * which cost more than the rest of the cache's bookkeeping together. Reads stay lock-free.
 */
final class TokenCache {
  /** A verified JWT with what a hit must re-check. */
  record Entry(VerifiedToken token, IssuerState issuer, ClaimChecks.Times times) {}

  private final Cache<TokenHash, Entry> cache;

  TokenCache(long maxEntries, Duration ttl, Ticker ticker) {
    this.cache = Caffeine.newBuilder()
        .maximumSize(maxEntries)
        .expireAfterWrite(ttl)
        .ticker(ticker)
        .executor(Runnable::run)
        .build();
  }

  Entry get(TokenHash hash) {
    return cache.getIfPresent(hash);
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
