package dev.tokenward.core;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The built-in claim rules for a JWT access token (RFC 7519, RFC 8725, RFC 9068), applied after the
 * signature verified. Each failure names the claim and, for the well-known traps, what to do.
 */
final class ClaimChecks {
  /** NumericDate bounds: before year 10000, so a huge {@code exp} cannot overflow into the past. */
  private static final long MAX_NUMERIC_DATE = 253_402_300_799L;

  private ClaimChecks() {}

  /** The claims' dates, read once and reused for the verified-token cache. */
  record Times(long exp, long nbf, long iat) {}

  /** An ID token carries {@code nonce} or {@code at_hash}; an access token never does. */
  static void notAnIdToken(Map<String, Object> claims, Set<String> audiences) throws TokenValidationException {
    if (claims.containsKey("nonce") || claims.containsKey("at_hash") || claims.containsKey("c_hash")) {
      throw new TokenValidationException(Reason.ID_TOKEN, "this is an OpenID Connect ID token (it carries "
          + (claims.containsKey("nonce") ? "'nonce'" : claims.containsKey("at_hash") ? "'at_hash'" : "'c_hash'")
          + " and its aud is " + Json.shown(String.join(", ", Claims.audiences(claims))) + "), not an access token for " + audiences
          + "; send the access token, requested with audience=" + audiences.iterator().next());
    }
  }

  static void typeIsAccessToken(ParsedJws jws) throws TokenValidationException {
    if (!jws.typeIsAccessToken()) {
      throw new TokenValidationException(Reason.WRONG_TYPE, "token header 'typ' is " + Json.shown(jws.type)
          + "; RFC 9068 access tokens must have typ 'at+jwt' (strict mode is on)");
    }
  }

  static void audience(Map<String, Object> claims, Set<String> accepted, String alg) throws TokenValidationException {
    Object aud = claims.get("aud");
    if (aud == null) {
      throw new TokenValidationException(Reason.MISSING_CLAIM, "token has no 'aud' claim; it must name this API, one of "
          + accepted);
    }
    if (!(aud instanceof String) && !(aud instanceof List<?>)) {
      throw new TokenValidationException(Reason.MALFORMED, "token 'aud' is neither a string nor an array");
    }
    if (alg.startsWith("HS") && aud instanceof List<?> list && list.size() > 1) {
      throw new TokenValidationException(Reason.WRONG_AUDIENCE, "an " + alg + " token must carry a single audience; "
          + "a shared secret cannot tell its audiences apart. Use RS256 for tokens with several (e.g. with /userinfo)");
    }
    if (aud instanceof String s ? accepted.contains(s) : containsAny((List<?>) aud, accepted)) {
      return; // no list built on the way in: this runs for every new token
    }
    List<String> audiences = Claims.audiences(claims);
    String hint = audiences.size() == 1 && !audiences.get(0).contains("/")
        ? "; it looks like a client ID, so this may be an ID token: send the access token instead"
        : audiences.stream().allMatch(a -> a.endsWith("/userinfo"))
            ? "; the token is only good for /userinfo: request it with audience=" + accepted.iterator().next()
            : "";
    throw new TokenValidationException(Reason.WRONG_AUDIENCE, "token 'aud' " + Json.shown(String.join(", ", audiences))
        + " does not contain this API's identifier, one of " + accepted + hint);
  }

  private static boolean containsAny(List<?> values, Set<String> accepted) {
    for (Object v : values) {
      if (v instanceof String s && accepted.contains(s)) {
        return true;
      }
    }
    return false;
  }

  /** Reads {@code exp} (required), {@code nbf} and {@code iat}, and checks them against now with the skew. */
  static Times times(Map<String, Object> claims, long nowSeconds, long skewSeconds, long maxAgeSeconds)
      throws TokenValidationException {
    long exp = date(claims, "exp");
    long nbf = date(claims, "nbf");
    long iat = date(claims, "iat");
    if (exp == Long.MIN_VALUE) {
      throw new TokenValidationException(Reason.MISSING_CLAIM, "token has no 'exp' claim; access tokens must expire");
    }
    if (iat == Long.MIN_VALUE && maxAgeSeconds > 0) {
      throw new TokenValidationException(Reason.MISSING_CLAIM, "token has no 'iat' claim, needed for the maximum token age");
    }
    if (iat != Long.MIN_VALUE && iat > nowSeconds + skewSeconds) {
      throw new TokenValidationException(Reason.NOT_YET_VALID, "token 'iat' is " + (iat - nowSeconds)
          + " s in the future, beyond the clock skew of " + skewSeconds + " s");
    }
    Times t = new Times(exp, nbf, iat);
    checkStillValid(t, nowSeconds, skewSeconds, maxAgeSeconds);
    return t;
  }

  /** The time-dependent checks, re-run on every verified-token cache hit. */
  static void checkStillValid(Times t, long nowSeconds, long skewSeconds, long maxAgeSeconds)
      throws TokenValidationException {
    if (nowSeconds >= t.exp() + skewSeconds) {
      throw new TokenValidationException(Reason.EXPIRED, "token expired " + (nowSeconds - t.exp())
          + " s ago ('exp' " + t.exp() + ", clock skew " + skewSeconds + " s)");
    }
    if (t.nbf() != Long.MIN_VALUE && nowSeconds + skewSeconds < t.nbf()) {
      throw new TokenValidationException(Reason.NOT_YET_VALID, "token is not valid for another "
          + (t.nbf() - nowSeconds) + " s ('nbf' " + t.nbf() + ", clock skew " + skewSeconds + " s)");
    }
    if (maxAgeSeconds > 0 && nowSeconds - t.iat() > maxAgeSeconds + skewSeconds) {
      throw new TokenValidationException(Reason.TOO_OLD, "token was issued " + (nowSeconds - t.iat())
          + " s ago, more than the maximum token age of " + maxAgeSeconds + " s");
    }
  }

  private static long date(Map<String, Object> claims, String name) throws TokenValidationException {
    Object v = claims.get(name);
    if (v == null) {
      return Long.MIN_VALUE;
    }
    if (!(v instanceof Number n)) {
      throw new TokenValidationException(Reason.MALFORMED, "token '" + name + "' is not a number of seconds");
    }
    double d = n.doubleValue();
    if (!(d >= 0 && d <= MAX_NUMERIC_DATE)) {
      throw new TokenValidationException(Reason.MALFORMED, "token '" + name + "' is outside the range of a date");
    }
    return (long) d;
  }
}
