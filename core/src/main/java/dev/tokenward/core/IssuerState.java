package dev.tokenward.core;

import com.github.benmanes.caffeine.cache.Cache;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/** One trusted issuer at run time: its configuration, discovered endpoints, keys and online checks. */
final class IssuerState {
  final TrustedIssuer config;
  final Discovery discovery;
  final OpaqueTokens online;
  private final JwksCache jwks; // null when keys are static
  private final KeySet staticKeys; // null when keys are fetched
  final KeyCandidate hmacKey; // null unless an HMAC secret is configured

  IssuerState(TrustedIssuer config, IssuerHttp http, Executor executor, Clock clock,
      AccessTokenValidator.Settings settings, Cache<TokenHash, VerifiedToken> onlineCache) {
    this.config = config;
    // discovery runs in the thread that needs it (a key fetch, or a request that must wait anyway),
    // so a fetch never waits for a pool thread that is itself waiting for discovery
    this.discovery = new Discovery(config, http, Runnable::run, clock, settings.issuerRetryBackoff);
    this.online = new OpaqueTokens(config, discovery, http, clock, onlineCache);
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
    } else {
      this.staticKeys = asymmetric ? null : KeySet.of(List.of(), 0);
      this.jwks = asymmetric ? new JwksCache(config, discovery, http, executor, clock, settings) : null;
    }
  }

  /** The current keys: a volatile read, never I/O (a due background refresh is only started). */
  KeySet keys() {
    return jwks == null ? staticKeys : jwks.current();
  }

  /** Newer keys after a miss, or null if keys are static and cannot change. */
  KeySet refreshForUnknownKey() throws TokenValidationException {
    return jwks == null ? null : jwks.refreshForUnknownKey();
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

  /** True if the key that verified a cached token is still trusted. */
  boolean stillTrusts(KeyCandidate key) {
    return key == hmacKey || keys().contains(key);
  }
}
