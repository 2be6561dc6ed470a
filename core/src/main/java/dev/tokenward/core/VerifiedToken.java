package dev.tokenward.core;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An access token that passed every check, with the claims a service needs to authorize the call.
 *
 * <p>Immutable and shared: the same instance may be served from the verified-token cache to many
 * requests, so every collection is unmodifiable all the way down. It never holds the raw token, so
 * logging it cannot leak a credential.
 */
public final class VerifiedToken {
  private final TokenKind kind;
  private final String issuer;
  private final String subject;
  // read from the claims on first use: a new token's path reads none of them unless the caller asks
  // (volatile: one instance is shared by the requests the cache answers)
  private volatile List<String> audiences;
  private volatile Set<String> scopes;
  private volatile Set<String> permissions;
  private final Map<String, Object> claims;
  private final Map<String, Object> header;
  private final long expiresAtSeconds; // Long.MAX_VALUE when the token has no exp (opaque tokens)
  private final long notBeforeSeconds; // Long.MIN_VALUE when absent
  private final long issuedAtSeconds; // Long.MIN_VALUE when absent
  final KeyCandidate keyRef; // identity of the verifying key, for cache invalidation on rotation; null for opaque

  VerifiedToken(TokenKind kind, String issuer, Map<String, Object> claims, Map<String, Object> header,
      long expiresAtSeconds, long notBeforeSeconds, long issuedAtSeconds, KeyCandidate keyRef) {
    this(kind, issuer, claims, header, false, expiresAtSeconds, notBeforeSeconds, issuedAtSeconds, keyRef);
  }

  /**
   * With claims and header that may already be deeply unmodifiable ({@code frozen}: as
   * {@link TokenJson} reads them; a header is shared by every token verified with it), so they are
   * not copied again.
   */
  VerifiedToken(TokenKind kind, String issuer, Map<String, Object> claims, Map<String, Object> header,
      boolean frozen, long expiresAtSeconds, long notBeforeSeconds, long issuedAtSeconds, KeyCandidate keyRef) {
    this.kind = Objects.requireNonNull(kind);
    this.issuer = issuer;
    this.claims = frozen ? claims : Json.freeze(claims);
    this.header = frozen ? header : Json.freeze(header);
    this.subject = this.claims.get("sub") instanceof String s ? s : null;
    this.expiresAtSeconds = expiresAtSeconds;
    this.notBeforeSeconds = notBeforeSeconds;
    this.issuedAtSeconds = issuedAtSeconds;
    this.keyRef = keyRef;
  }

  /** {@link TokenKind#JWT} when verified locally, {@link TokenKind#OPAQUE} when vouched for by the issuer. */
  public TokenKind kind() {
    return kind;
  }

  /** The issuer that vouches for the token, exactly as configured (and, for a JWT, as its {@code iss}). */
  public String issuer() {
    return issuer;
  }

  /** The {@code sub} claim, or {@code null} if the token has none. */
  public String subject() {
    return subject;
  }

  /** The {@code aud} claim as a list (a single string becomes a one-element list). */
  public List<String> audiences() {
    List<String> a = audiences;
    if (a == null) {
      audiences = a = Claims.audiences(claims);
    }
    return a;
  }

  /** Granted scopes: the space-separated {@code scope} claim and the {@code scp} claim (array or string). */
  public Set<String> scopes() {
    Set<String> s = scopes;
    if (s == null) {
      scopes = s = Claims.scopes(claims);
    }
    return s;
  }

  /** Auth0 RBAC permissions from the {@code permissions} claim. */
  public Set<String> permissions() {
    Set<String> p = permissions;
    if (p == null) {
      permissions = p = Claims.permissions(claims);
    }
    return p;
  }

  /** True if {@code value} is among the granted scopes. */
  public boolean hasScope(String value) {
    return scopes().contains(value);
  }

  /** True if {@code value} is among the granted permissions. */
  public boolean hasPermission(String value) {
    return permissions().contains(value);
  }

  /** True if {@code value} is granted either as a scope or as a permission. */
  public boolean grants(String value) {
    return scopes().contains(value) || permissions().contains(value);
  }

  /** Every claim (for an opaque token: the userinfo or introspection answer), unmodifiable. */
  public Map<String, Object> claims() {
    return claims;
  }

  /** One claim, if present. */
  public Optional<Object> claim(String name) {
    return Optional.ofNullable(claims.get(name));
  }

  /**
   * The OAuth client the token was issued to: the {@code client_id} claim (RFC 9068, and RFC 7662
   * introspection answers), else {@code azp} (Auth0, OpenID Connect); empty if it has neither.
   */
  public Optional<String> clientId() {
    if (claims.get("client_id") instanceof String s) {
      return Optional.of(s);
    }
    return Optional.ofNullable(claims.get("azp") instanceof String s ? s : null);
  }

  /**
   * A claim that must be a string.
   *
   * @return empty if the token has no such claim
   * @throws IllegalArgumentException if the claim is there but is not a string (an array, a number, an object)
   */
  public Optional<String> claimAsString(String name) {
    Object v = claims.get(name);
    if (v == null || v instanceof String) {
      return Optional.ofNullable((String) v);
    }
    throw wrongType(name, v, "a string");
  }

  /**
   * A claim that is an array of strings; a single string is a one-element list (as {@code aud}
   * may be either).
   *
   * @return an empty list if the token has no such claim
   * @throws IllegalArgumentException if the claim is another type, or an array with an element that is not a string
   */
  public List<String> claimAsStringList(String name) {
    Object v = claims.get(name);
    if (v == null) {
      return List.of();
    }
    if (v instanceof String s) {
      return List.of(s);
    }
    if (v instanceof List<?> list) {
      for (Object o : list) {
        if (!(o instanceof String)) {
          throw wrongType(name, v, "an array of strings");
        }
      }
      @SuppressWarnings("unchecked")
      List<String> strings = (List<String>) list; // frozen: unmodifiable
      return strings;
    }
    throw wrongType(name, v, "an array of strings");
  }

  /**
   * A claim that is a JSON number of seconds since the epoch (a NumericDate, as {@code exp},
   * {@code iat} and {@code auth_time} are), as an instant.
   *
   * @return empty if the token has no such claim
   * @throws IllegalArgumentException if the claim is not a finite number
   */
  public Optional<Instant> claimAsInstant(String name) {
    Object v = claims.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (v instanceof Long || v instanceof Integer) {
      return Optional.of(Instant.ofEpochSecond(((Number) v).longValue()));
    }
    if (v instanceof Number n) {
      double d = n.doubleValue();
      if (Double.isFinite(d) && Math.abs(d) < 1e15) {
        long seconds = (long) Math.floor(d);
        return Optional.of(Instant.ofEpochSecond(seconds, Math.round((d - seconds) * 1e9)));
      }
    }
    throw wrongType(name, v, "a number of seconds since the epoch");
  }

  private static IllegalArgumentException wrongType(String name, Object value, String expected) {
    String actual = value instanceof String ? "a string" : value instanceof Number ? "a number"
        : value instanceof Boolean ? "a boolean" : value instanceof List ? "an array" : value instanceof Map ? "an object"
        : value.getClass().getSimpleName();
    return new IllegalArgumentException("claim " + Json.shown(name) + " is " + actual + ", not " + expected);
  }

  /** The JOSE header of a JWT, unmodifiable; empty for an opaque token. */
  public Map<String, Object> header() {
    return header;
  }

  /** The {@code alg} the JWT was verified with; empty for an opaque token. */
  public Optional<String> algorithm() {
    return Optional.ofNullable(header.get("alg") instanceof String s ? s : null);
  }

  /** The {@code kid} of the verifying key, if the token named one. */
  public Optional<String> keyId() {
    return Optional.ofNullable(header.get("kid") instanceof String s ? s : null);
  }

  /** When the token expires; empty if the issuer gave no expiry (possible for opaque tokens). */
  public Optional<Instant> expiresAt() {
    return expiresAtSeconds == Long.MAX_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochSecond(expiresAtSeconds));
  }

  /** When the token was issued ({@code iat}), if it says. */
  public Optional<Instant> issuedAt() {
    return issuedAtSeconds == Long.MIN_VALUE ? Optional.empty() : Optional.of(Instant.ofEpochSecond(issuedAtSeconds));
  }

  /** The {@code acr} claim (Authentication Context Class Reference), if the token carries one as a string. */
  public Optional<String> authenticationContext() {
    return Optional.ofNullable(claims.get("acr") instanceof String s ? s : null);
  }

  /** The {@code amr} claim (Authentication Methods References, such as {@code mfa}, {@code pwd}), empty if absent. */
  public List<String> authenticationMethods() {
    Object amr = claims.get("amr");
    if (amr instanceof List<?> list) {
      return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }
    return amr instanceof String s ? List.of(s) : List.of();
  }

  /** When the user last authenticated ({@code auth_time}, a NumericDate), if the token says. */
  public Optional<Instant> authenticatedAt() {
    return claims.get("auth_time") instanceof Number n && !(n instanceof Double d && (d.isNaN() || d.isInfinite()))
        ? Optional.of(Instant.ofEpochSecond(n.longValue())) : Optional.empty();
  }

  long expiresAtSeconds() {
    return expiresAtSeconds;
  }

  long notBeforeSeconds() {
    return notBeforeSeconds;
  }

  long issuedAtSeconds() {
    return issuedAtSeconds;
  }

  @Override
  public String toString() {
    return "VerifiedToken{kind=" + kind + ", iss=" + issuer + ", sub=" + subject + ", aud=" + audiences()
        + ", scopes=" + scopes() + ", permissions=" + permissions() + "}";
  }
}
