package dev.tokenward.core;

import com.github.benmanes.caffeine.cache.Cache;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One trusted issuer at run time: its configuration, discovered endpoints, keys and online checks.
 * Each issuer fetches on its own thread, so an issuer that hangs delays only its own tokens.
 */
final class IssuerState {
  final TrustedIssuer config;
  final Discovery discovery;
  final OpaqueTokens online;
  private final JwksCache jwks; // null when keys are static
  private final KeySet staticKeys; // null when keys are fetched
  final KeyCandidate hmacKey; // null unless an HMAC secret is configured
  private final ThreadPoolExecutor fetcher; // this issuer's key fetches, one at a time; null when nothing is fetched

  IssuerState(TrustedIssuer config, IssuerHttp http, Clock clock,
      AccessTokenValidator.Settings settings, Lazy<Cache<TokenHash, VerifiedToken>> onlineCache) {
    this.config = config;
    // discovery runs in the thread that needs it (a key fetch, or a request that must wait anyway),
    // so a fetch never waits for a pool thread that is itself waiting for discovery
    this.discovery = new Discovery(config, http, Runnable::run, clock, settings.issuerRetryBackoff);
    this.online = new OpaqueTokens(config, discovery, http, clock, onlineCache, settings.listener,
        settings.sharedOnlineCache, settings.onlineCacheTtl);
    this.hmacKey = config.hmacSecret == null ? null : KeyCandidate.fromSecret(config.hmacSecret);
    boolean asymmetric = config.algorithms.stream().anyMatch(a -> !a.startsWith("HS"));
    if (config.staticKeys != null) {
      List<KeyCandidate> keys = new ArrayList<>();
      for (var jwk : config.staticKeys.getKeys()) {
        try {
          keys.add(KeyCandidate.fromJwk(jwk.toPublicJWK()));
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException("keys: key " + Json.shown(jwk.getKeyID()) + " is unusable: " + e.getMessage(), e);
        }
      }
      this.staticKeys = KeySet.of(keys, 0);
      this.jwks = null;
      this.fetcher = null;
    } else {
      this.staticKeys = asymmetric ? null : KeySet.of(List.of(), 0);
      this.fetcher = asymmetric ? fetchThread(config.issuer) : null;
      this.jwks = asymmetric ? new JwksCache(config, discovery, http, fetcher, clock, settings) : null;
    }
  }

  /**
   * One fetch thread per issuer, started on demand and ended when idle: the JWKS refresher runs at
   * most one fetch at a time (discovery runs inside it), so one thread is all an issuer needs, and
   * no issuer's hanging endpoint can take the thread of another.
   */
  private static ThreadPoolExecutor fetchThread(String issuer) {
    String host = java.net.URI.create(issuer).getHost();
    ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(16), r -> {
      Thread t = new Thread(r, "tokenward-fetch-" + host);
      t.setDaemon(true);
      return t;
    });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * The keys to verify with: a volatile read and no I/O, unless the cached keys are older than the
   * maximum staleness (then one refetch is tried, and without it the issuer is unavailable).
   */
  KeySet keys() throws TokenValidationException {
    return jwks == null ? staticKeys : jwks.usable();
  }

  /** Newer keys than {@code seen} after a miss, or null if keys are static and cannot change. */
  KeySet refreshForUnknownKey(KeySet seen) throws TokenValidationException {
    return jwks == null ? null : jwks.refreshForUnknownKey(seen);
  }

  /** Starts fetching the keys now, for a warm-up; null when nothing is fetched (static keys, a secret) or backing off. */
  java.util.concurrent.CompletableFuture<KeySet> prefetch() {
    return jwks == null ? null : jwks.prefetch();
  }

  /** True when the keys are there: static, or fetched at least once. */
  boolean keysLoaded() {
    return jwks == null || jwks.loaded();
  }

  /** True if the keys are fetched from the network rather than configured. */
  boolean fetchesKeys() {
    return jwks != null;
  }

  /** True if the key that verified a cached token is still trusted (and not too stale to tell). */
  boolean stillTrusts(KeyCandidate key) {
    if (key == hmacKey) {
      return true;
    }
    try {
      return keys().contains(key);
    } catch (TokenValidationException e) {
      return false; // verified again from scratch, which answers the issuer-unavailable failure
    }
  }

  /** The key source's health; static and HMAC keys are always up. */
  IssuerHealth health() {
    if (jwks != null) {
      return jwks.health();
    }
    int count = (staticKeys == null ? 0 : staticKeys.size()) + (hmacKey == null ? 0 : 1);
    return new IssuerHealth(config.issuer, count > 0 ? IssuerHealth.Status.UP : IssuerHealth.Status.DOWN, count,
        java.util.Optional.empty(), java.util.Optional.empty(), java.util.Optional.empty());
  }

  /** Stops this issuer's fetches. */
  void close() {
    if (fetcher != null) {
      fetcher.shutdownNow();
    }
  }
}
