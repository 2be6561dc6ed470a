package dev.tokenward.core;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The path of a JWT (three segments) through {@link AccessTokenValidator}: the verified-token cache,
 * the parse, the issuer chosen by exact {@code iss}, the algorithm allow-list, the signature with the
 * issuer's keys (one refetch for an unknown {@code kid}), and the claim checks, in that order.
 *
 * <p>Kept apart from the validator as {@link OpaquePath} is, so that each path reads top to bottom
 * in one file and the validator only decides which path a token takes.
 */
final class JwtPath {
  private final List<IssuerState> issuers;
  private final AccessTokenValidator.Settings settings;
  private final Clock clock;
  private final TokenCache tokenCache; // null when disabled
  private final Duration discoveryWait;
  private final VerifiedHeaders verifiedHeaders = new VerifiedHeaders();

  JwtPath(List<IssuerState> issuers, AccessTokenValidator.Settings settings, Clock clock, TokenCache tokenCache,
      Duration discoveryWait) {
    this.issuers = issuers;
    this.settings = settings;
    this.clock = clock;
    this.tokenCache = tokenCache;
    this.discoveryWait = discoveryWait;
  }

  /**
   * A token's cache key as the request path makes it before {@link #validate}: the token's bytes
   * (one per character, made once for the hash, the parse and the signature), their hash, and what
   * the cache held under it then ({@code cached}, null for none), so neither is made twice.
   */
  record Key(TokenHash hash, byte[] bytes, TokenCache.Entry cached) {}

  /**
   * Validates a token of three segments, from the cache when it was verified before.
   *
   * @param key the token's {@link #cacheKey}, if the caller made it; null to make it here
   */
  VerifiedToken validate(String token, Key key) throws TokenValidationException {
    // a character above U+00FF becomes '?' in the bytes, so such a token's never equal a cached (base64url) token's
    byte[] bytes;
    TokenHash hash = null;
    TokenCache.Entry hit = null;
    if (key != null) {
      // a key made from another token would answer for that token; the tests run with assertions on
      assert key.hash().equals(TokenHash.of(ParsedJws.bytesOf(token))) : "a cache key made from another token";
      bytes = key.bytes();
      hash = key.hash();
      hit = key.cached();
    } else {
      bytes = ParsedJws.bytesOf(token);
      if (tokenCache != null) {
        hash = TokenHash.of(bytes);
        hit = tokenCache.get(hash);
      }
    }
    if (tokenCache != null) {
      if (hit != null) {
        if (hit.issuer().stillTrusts(hit.token().keyRef)) {
          try {
            ClaimChecks.checkStillValid(hit.times(), clock.millis() / 1000, settings.clockSkewSeconds,
                settings.maxTokenAgeSeconds);
          } catch (TokenValidationException e) {
            tokenCache.invalidate(hash);
            throw e.attributeTo(hit.issuer().config.issuer);
          }
          if (settings.listener != null) {
            settings.listener.tokenCacheHit();
          }
          return hit.token();
        }
        tokenCache.invalidate(hash); // its key left the JWKS: verify again from scratch
      }
      if (settings.listener != null) {
        settings.listener.tokenCacheMiss();
      }
    }
    return verifyJwt(token, bytes, hash);
  }

  /**
   * The token's {@link Key}, looked up in the token cache; null without a cache or past the length
   * limit (then {@link #validate} refuses the token before hashing it).
   */
  Key cacheKey(String token) {
    if (tokenCache == null || token.length() > settings.maxTokenLength) {
      return null;
    }
    byte[] bytes = ParsedJws.bytesOf(token);
    TokenHash hash = TokenHash.of(bytes);
    return new Key(hash, bytes, tokenCache.get(hash));
  }

  private VerifiedToken verifyJwt(String token, byte[] bytes, TokenHash hash) throws TokenValidationException {
    ParsedJws jws = ParsedJws.parse(token, bytes, settings.maxTokenLength, verifiedHeaders);
    try {
      return verifyParsed(jws, hash);
    } catch (TokenValidationException e) {
      throw attributed(e, jws.claims.get("iss"));
    }
  }

  /**
   * Attributes a refusal to the configured issuer the token's {@code iss} selected, or differs from only
   * by a trailing slash; a refusal of a token naming no configured issuer stays unattributed. Only a
   * configured issuer's name is ever attached, never the token's own {@code iss}.
   */
  private TokenValidationException attributed(TokenValidationException e, Object iss) {
    if (iss instanceof String name) {
      for (IssuerState s : issuers) {
        if (s.discovery.effectiveIssuer().equals(name)
            || Discovery.stripSlash(s.config.issuer).equals(Discovery.stripSlash(name))) {
          return e.attributeTo(s.config.issuer);
        }
      }
    }
    return e;
  }

  private VerifiedToken verifyParsed(ParsedJws jws, TokenHash hash) throws TokenValidationException {
    String alg = jws.algorithm;
    if (alg.equalsIgnoreCase("none")) {
      throw new TokenValidationException(Reason.DISALLOWED_ALGORITHM, "token 'alg' is none: unsigned tokens are never accepted");
    }
    jws.checkCriticalHeaders();
    Object iss = jws.claims.get("iss");
    if (iss == null) {
      throw new TokenValidationException(Reason.MISSING_CLAIM, "token has no 'iss' claim");
    }
    if (!(iss instanceof String issuerName)) {
      throw new TokenValidationException(Reason.MALFORMED, "token 'iss' is not a string");
    }
    IssuerState issuer = selectIssuer(issuerName);
    TrustedIssuer config = issuer.config;
    if (!config.algorithms.contains(alg)) {
      throw new TokenValidationException(Reason.DISALLOWED_ALGORITHM, "token 'alg' " + Json.shown(alg)
          + " is not among the algorithms allowed for this issuer " + config.algorithms);
    }
    KeyCandidate key = verifySignature(issuer, jws);
    if (settings.requireAccessTokenType) {
      ClaimChecks.typeIsAccessToken(jws);
    }
    ClaimChecks.notAnIdToken(jws.claims, config.audiences);
    ClaimChecks.audience(jws.claims, config.audiences, alg);
    ClaimChecks.Times times = ClaimChecks.times(jws.claims, clock.millis() / 1000, settings.clockSkewSeconds,
        settings.maxTokenAgeSeconds);
    VerifiedToken verified = new VerifiedToken(TokenKind.JWT, issuerName, jws.claims,
        jws.header, true, times.exp(), times.nbf(), times.iat(), key);
    for (ClaimCheck check : settings.claimChecks) {
      check.check(verified);
    }
    if (hash != null && tokenCache.admits(hash)) { // a full cache takes a token from its second sighting
      tokenCache.put(hash, new TokenCache.Entry(verified, issuer, times));
    }
    if (!jws.headerKnown) {
      verifiedHeaders.add(jws.headerSegment(), verified.header());
    }
    return verified;
  }

  private KeyCandidate verifySignature(IssuerState issuer, ParsedJws jws) throws TokenValidationException {
    String alg = jws.algorithm;
    if (alg.startsWith("HS")) {
      if (issuer.hmacKey.verify(alg, jws)) {
        return issuer.hmacKey;
      }
      throw badSignature(alg, jws.keyId);
    }
    KeySet keys = issuer.keys();
    boolean fitted = false;
    for (int attempt = 0; attempt < 2; attempt++) {
      for (KeyCandidate k : keys.candidates(jws.keyId)) {
        if (k.fits(alg)) {
          fitted = true;
          if (k.verify(alg, jws)) {
            return k;
          }
        }
      }
      if (fitted || attempt == 1) {
        break;
      }
      if (settings.listener != null && keys.isLoaded()) { // not the first token's wait for the first keys
        settings.listener.unknownKey(issuer.config.issuer);
      }
      KeySet newer = issuer.refreshForUnknownKey(keys);
      if (newer == null || newer == keys) {
        break;
      }
      keys = newer;
    }
    if (fitted) {
      throw badSignature(alg, jws.keyId);
    }
    throw new TokenValidationException(Reason.UNKNOWN_KEY, (jws.keyId == null ? "token names no 'kid' and no key"
        : "no key with 'kid' " + Json.shown(jws.keyId)) + " of the issuer fits 'alg' " + Json.shown(alg)
        + (issuer.keys().size() == 0 ? " (the issuer's key set holds no usable key)" : ""));
  }

  private static TokenValidationException badSignature(String alg, String kid) {
    return new TokenValidationException(Reason.BAD_SIGNATURE, "the token's " + alg + " signature does not verify with "
        + (kid == null ? "the issuer's key" : "the issuer's key " + Json.shown(kid)));
  }

  /** The configured issuer whose (effective) name equals {@code iss} exactly; only configured ones are candidates. */
  private IssuerState selectIssuer(String iss) throws TokenValidationException {
    for (IssuerState s : issuers) {
      if (s.discovery.effectiveIssuer().equals(iss)) {
        return s;
      }
    }
    for (IssuerState s : issuers) {
      if (Discovery.stripSlash(s.config.issuer).equals(Discovery.stripSlash(iss))) {
        if (!s.discovery.discovered()) {
          s.discovery.await(discoveryWait); // may adopt the discovered spelling of the issuer
          if (s.discovery.effectiveIssuer().equals(iss)) {
            return s;
          }
        }
        throw new TokenValidationException(Reason.WRONG_ISSUER, "token 'iss' " + Json.shown(iss)
            + " differs from the configured issuer " + Json.shown(s.discovery.effectiveIssuer())
            + " only by a trailing slash; configure the issuer exactly as tokens carry it (Auth0: with the trailing slash)");
      }
    }
    List<String> expected = new ArrayList<>();
    issuers.forEach(s -> expected.add(s.discovery.effectiveIssuer()));
    throw new TokenValidationException(Reason.WRONG_ISSUER, "token 'iss' " + Json.shown(iss)
        + " is not a trusted issuer; expected " + (expected.size() == 1 ? expected.get(0) : "one of " + expected));
  }

  /** The configured issuer that vouched for a verified token. */
  IssuerState issuerOf(VerifiedToken token) {
    for (IssuerState s : issuers) {
      if (s.discovery.effectiveIssuer().equals(token.issuer())) {
        return s;
      }
    }
    for (IssuerState s : issuers) { // an opaque token's answer names the issuer as configured
      if (s.config.issuer.equals(token.issuer())) {
        return s;
      }
    }
    return issuers.get(0);
  }

  /** The verified-token cache, or null when disabled; for tests. */
  TokenCache tokenCache() {
    return tokenCache;
  }
}
