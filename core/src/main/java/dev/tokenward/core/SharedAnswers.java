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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One issuer's side of a {@link SharedOnlineCache}: the key of a token (a SHA-256 of the issuer, the
 * policy and the token, so neither the token nor a userinfo answer can be taken for an introspection
 * one), the stored form of an answer ({@code {"until": epoch millis, "answer": {...}}}) and its
 * lifetime, never past the online-cache time or the token's {@code exp}. A cache that fails is a miss,
 * logged at WARN at most once a minute (never with a token or a key).
 *
 * <p>{@link #lookup} is the single flight across replicas: on a miss it takes the cache's lock on the
 * token for the issuer's call timeout; a replica that finds it held waits for the holder's answer,
 * polling with a short backoff for at most that timeout, then asks the issuer itself. Every way out of
 * the wait (the lock freed without an answer, the time run out, the cache failing, an interrupt) leads
 * to the issuer, never to a refusal; an answer read back is checked again by the caller.
 */
final class SharedAnswers {
  private static final Logger log = LoggerFactory.getLogger(SharedAnswers.class);
  private static final long WARN_EVERY_MILLIS = 60_000;
  /** The first pause of a replica waiting for another's answer; doubled up to {@link #MAX_PAUSE_NANOS}. */
  static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
  static final long MAX_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** An answer read back: the issuer's claims, and how much longer it may be used. */
  record Stored(Map<String, Object> claims, Duration remaining) {}

  /**
   * What a lookup found: a stored answer ({@link #stored} non-null), or none, and then the caller asks
   * the issuer, hands its answer to {@link #share} and calls {@link #release} in every case.
   */
  final class Lookup {
    /** The answer another replica stored; null when the issuer must be asked. */
    final Stored stored;
    private final String key;
    private final SharedOnlineCache.Lease lease; // null when this replica holds no lock
    private final boolean failed; // the cache failed during the lookup: nothing is written

    private Lookup(Stored stored, String key, SharedOnlineCache.Lease lease, boolean failed) {
      this.stored = stored;
      this.key = key;
      this.lease = lease;
      this.failed = failed;
    }

    /** Stores the issuer's fresh answer for the other replicas, unless the cache failed in this lookup. */
    void share(VerifiedToken answer) {
      if (!failed) {
        put(key, answer);
      }
    }

    /** Frees the lock this lookup took, if any; the lock ends by its time if this fails. */
    void release() {
      SharedAnswers.this.release(lease);
    }
  }

  private final SharedOnlineCache cache;
  private final String issuer;
  private final long ttlMillis;
  private final Duration lockTtl;
  private final Clock clock;
  private final ValidationListener listener; // null when none is set
  private final AtomicLong lastWarning = new AtomicLong(Long.MIN_VALUE);

  /** {@code lockTtl}: how long a lock lives and another replica waits for its holder, the issuer's call timeout. */
  SharedAnswers(SharedOnlineCache cache, String issuer, Duration ttl, Duration lockTtl, Clock clock,
      ValidationListener listener) {
    this.cache = cache;
    this.issuer = issuer;
    this.ttlMillis = ttl.toMillis();
    this.lockTtl = lockTtl;
    this.clock = clock;
    this.listener = listener;
  }

  /**
   * The stored answer for this token, at once or after waiting (at most the lock's time) for the replica
   * that holds the call to the issuer; otherwise a lookup that tells the caller to ask the issuer,
   * holding the lock when it could take it. Reports one of hit, miss or failure to the listener.
   */
  Lookup lookup(String token, OpaqueTokenPolicy policy) {
    String key = key(issuer, policy, token);
    Lookup found = stored(key, null);
    if (found != null) {
      return found;
    }
    long deadline = System.nanoTime() + lockTtl.toNanos();
    long pause = FIRST_PAUSE_NANOS;
    while (true) {
      Optional<SharedOnlineCache.Lease> lease;
      try {
        lease = cache.tryLock(key, lockTtl);
      } catch (IOException | RuntimeException e) {
        return failed("lock", e, key, null);
      }
      if (lease == null || lease.isPresent()) {
        SharedOnlineCache.Lease mine = lease == null ? SharedOnlineCache.Lease.NONE : lease.get();
        if (mine != SharedOnlineCache.Lease.NONE) {
          // the holder before this one may have stored its answer and freed the lock since the last read
          found = stored(key, mine);
          if (found != null) {
            return found;
          }
        }
        return miss(key, mine);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        log.debug("no shared answer from the replica asking issuer {} within {} ms; asking it too", issuer,
            lockTtl.toMillis());
        return miss(key, null);
      }
      try {
        TimeUnit.NANOSECONDS.sleep(Math.min(pause, left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return miss(key, null);
      }
      pause = Math.min(2 * pause, MAX_PAUSE_NANOS);
      found = stored(key, null);
      if (found != null) {
        return found;
      }
    }
  }

  /**
   * The stored answer as a hit (freeing {@code held}, the lock this replica took, if any), a failed
   * read as a failure that keeps {@code held} for the caller, or null while nothing is stored.
   */
  private Lookup stored(String key, SharedOnlineCache.Lease held) {
    Stored stored;
    try {
      stored = read(key);
    } catch (IOException | RuntimeException e) {
      return failed("read", e, key, held);
    }
    if (stored == null) {
      return null;
    }
    release(held);
    return hit(stored, key);
  }

  private void release(SharedOnlineCache.Lease lease) {
    if (lease != null && lease != SharedOnlineCache.Lease.NONE) {
      try {
        lease.release();
      } catch (IOException | RuntimeException e) {
        warn("release a lock", e);
      }
    }
  }

  private Lookup hit(Stored stored, String key) {
    if (listener != null) {
      listener.sharedOnlineCacheHit(issuer);
    }
    return new Lookup(stored, key, null, true);
  }

  private Lookup miss(String key, SharedOnlineCache.Lease lease) {
    if (listener != null) {
      listener.sharedOnlineCacheMiss(issuer);
    }
    return new Lookup(null, key, lease, false);
  }

  private Lookup failed(String what, Exception e, String key, SharedOnlineCache.Lease lease) {
    reportFailure(what, e);
    return new Lookup(null, key, lease, true);
  }

  /** The stored answer, or null if none is usable (absent, expired or unreadable); throws when the cache fails. */
  private Stored read(String key) throws IOException {
    Optional<String> value = cache.get(key);
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
  private void put(String key, VerifiedToken answer) {
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
      cache.put(key, JSONObjectUtils.toJSONString(stored), Duration.ofMillis(remaining));
    } catch (IOException | RuntimeException e) {
      reportFailure("write", e);
    }
  }

  private void reportFailure(String what, Exception e) {
    if (listener != null) {
      listener.sharedOnlineCacheFailed(issuer, e);
    }
    warn(what, e);
  }

  private void warn(String what, Exception e) {
    long now = clock.millis();
    long last = lastWarning.get();
    if ((last == Long.MIN_VALUE || now - last >= WARN_EVERY_MILLIS) && lastWarning.compareAndSet(last, now)) {
      log.warn("the shared online cache cannot {} ({}); tokens of issuer {} are checked with the issuer itself meanwhile "
          + "(logged at most once a minute)", what,
          e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), issuer);
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
