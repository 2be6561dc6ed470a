package dev.tokenward.core;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An immutable snapshot of an issuer's usable keys, indexed by {@code kid}; replaced whole on refresh. */
final class KeySet {
  private static final Logger log = LoggerFactory.getLogger(KeySet.class);
  static final int MAX_KEYS = 100;
  static final KeySet EMPTY = new KeySet(Map.of(), List.of(), Long.MIN_VALUE);

  private final Map<String, KeyCandidate[]> byKid;
  private final KeyCandidate[] all;
  final long fetchedAtMillis;

  private KeySet(Map<String, KeyCandidate[]> byKid, List<KeyCandidate> all, long fetchedAtMillis) {
    this.byKid = byKid;
    this.all = all.toArray(new KeyCandidate[0]);
    this.fetchedAtMillis = fetchedAtMillis;
  }

  /**
   * Builds a snapshot from a JWKS, skipping (and logging) keys that cannot verify signatures. Keys
   * unchanged since {@code previous} keep their identity, so tokens cached against them stay cached.
   */
  static KeySet of(JWKSet jwks, String source, long fetchedAtMillis, KeySet previous) {
    List<KeyCandidate> all = new ArrayList<>();
    for (JWK jwk : jwks.getKeys()) {
      JWK publicJwk = jwk.isPrivate() ? jwk.toPublicJWK() : jwk; // a copy re-checks an EC point: only when needed
      KeyCandidate unchanged = previous.find(publicJwk);
      if (unchanged != null) {
        all.add(unchanged);
        continue;
      }
      try {
        all.add(KeyCandidate.fromJwk(publicJwk));
      } catch (IllegalArgumentException e) {
        log.warn("Ignoring key {} from {}: {}", Json.shown(jwk.getKeyID()), source, e.getMessage());
      }
    }
    return of(all, fetchedAtMillis);
  }

  static KeySet of(List<KeyCandidate> keys, long fetchedAtMillis) {
    Map<String, List<KeyCandidate>> grouped = new HashMap<>();
    for (KeyCandidate k : keys) {
      if (k.keyId != null) {
        grouped.computeIfAbsent(k.keyId, x -> new ArrayList<>()).add(k);
      }
    }
    Map<String, KeyCandidate[]> byKid = new HashMap<>();
    grouped.forEach((kid, list) -> byKid.put(kid, list.toArray(new KeyCandidate[0])));
    return new KeySet(Map.copyOf(byKid), keys, fetchedAtMillis);
  }

  /** Keys to try for a token: those with its {@code kid}, or every key when the token names none. */
  KeyCandidate[] candidates(String kid) {
    if (kid == null) {
      return all;
    }
    KeyCandidate[] found = byKid.get(kid);
    return found == null ? new KeyCandidate[0] : found;
  }

  /** True if this snapshot still holds exactly this key object (it survived the last refresh). */
  boolean contains(KeyCandidate key) {
    for (KeyCandidate k : candidates(key.keyId)) {
      if (k == key) {
        return true;
      }
    }
    return false;
  }

  private KeyCandidate find(JWK jwk) {
    for (KeyCandidate k : candidates(jwk.getKeyID())) {
      if (jwk.equals(k.jwk)) {
        return k;
      }
    }
    return null;
  }

  int size() {
    return all.length;
  }

  boolean isLoaded() {
    return fetchedAtMillis != Long.MIN_VALUE;
  }
}
