package dev.tokenward.core;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One issuer's side of a {@link SharedOnlineCache}: the key of a token (a SHA-256 of the issuer, the
 * policy and the token, so neither the token nor a userinfo answer can be taken for an introspection
 * one), the stored form of an answer ({@code {"until": epoch millis, "answer": {...}}}) and its
 * lifetime, never past the online-cache time or the token's {@code exp}. A cache that fails is a miss,
 * logged at WARN at most once a minute.
 */
final class SharedAnswers {
  private static final Logger log = LoggerFactory.getLogger(SharedAnswers.class);
  private static final long WARN_EVERY_MILLIS = 60_000;

  /** An answer read back: the issuer's claims, and how much longer it may be used. */
  record Stored(Map<String, Object> claims, Duration remaining) {}

  private final SharedOnlineCache cache;
  private final String issuer;
  private final long ttlMillis;
  private final Clock clock;
  private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE);

  SharedAnswers(SharedOnlineCache cache, String issuer, Duration ttl, Clock clock) {
    this.cache = cache;
    this.issuer = issuer;
    this.ttlMillis = ttl.toMillis();
    this.clock = clock;
  }

  /** The stored answer for this token, or null if none is usable (absent, expired, unreadable, or the cache failed). */
  Stored get(String token, OpaqueTokenPolicy policy) {
    Optional<String> value;
    try {
      value = cache.get(key(issuer, policy, token));
    } catch (IOException | RuntimeException e) {
      failed("read", e);
      return null;
    }
    if (value == null || value.isEmpty()) {
      return null;
    }
    try {
      Map<String, Object> stored = Json.parseObject(value.get(), 2 * OpaqueTokens.MAX_ANSWER_BYTES);
      long remaining = (stored.get("until") instanceof Number n ? n.longValue() : 0) - clock.millis();
      if (remaining <= 0 || !(stored.get("answer") instanceof Map<?, ?>)) {
        return null;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> claims = (Map<String, Object>) stored.get("answer");
      return new Stored(claims, Duration.ofMillis(Math.min(remaining, ttlMillis)));
    } catch (ParseException e) {
      log.debug("a shared answer for issuer {} is not the JSON tokenward writes; asking the issuer", issuer);
      return null;
    }
  }

  /** Stores an answer the issuer just gave, for the online-cache time and never past its {@code exp}. */
  void put(String token, OpaqueTokenPolicy policy, VerifiedToken answer) {
    long now = clock.millis();
    long exp = answer.expiresAtSeconds();
    long remaining = exp == Long.MAX_VALUE ? ttlMillis : Math.min(ttlMillis, OpaqueTokens.millisOf(exp) - now);
    if (remaining <= 0) {
      return;
    }
    Map<String, Object> stored = new LinkedHashMap<>();
    stored.put("until", now + remaining);
    stored.put("answer", answer.claims());
    try {
      cache.put(key(issuer, policy, token), JSONObjectUtils.toJSONString(stored), Duration.ofMillis(remaining));
    } catch (IOException | RuntimeException e) {
      failed("write", e);
    }
  }

  private void failed(String what, Exception e) {
    long now = clock.millis();
    long last = lastWarning.get();
    if ((last == Long.MIN_VALUE || now - last >= WARN_EVERY_MILLIS) && lastWarning.compareAndSet(last, now)) {
      log.warn("the shared online cache cannot {} ({}); the issuer {} is asked instead (logged at most once a minute)",
          what, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), issuer);
    }
  }

  /** base64url(SHA-256("tokenward-online" 0 issuer 0 policy 0 token)): 43 characters, never the token. */
  static String key(String issuer, OpaqueTokenPolicy policy, String token) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {"tokenward-online", issuer, policy.name()}) {
        sha.update(part.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }
}
