package dev.tokenward.core;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A compact JWS split and decoded without trusting it: the lean first step of validation.
 *
 * <p>Only the header fields the rules need are read ({@code alg}, {@code kid}, {@code typ},
 * {@code crit}, {@code b64}). Header-supplied key locations ({@code jku}, {@code x5u},
 * {@code jwk}, {@code x5c}) are never looked at, so they cannot steer key selection.
 */
final class ParsedJws {
  static final int MAX_KID_LENGTH = 256;

  final String algorithm;
  final String keyId;
  final String type;
  final Map<String, Object> header;
  final boolean headerKnown; // header taken, already frozen, from the verified-header cache
  final Map<String, Object> claims;
  private final String token;
  private final int signingInputEnd;

  private ParsedJws(String token, int signingInputEnd, Map<String, Object> header, boolean headerKnown,
      Map<String, Object> claims, String algorithm, String keyId, String type) {
    this.token = token;
    this.headerKnown = headerKnown;
    this.signingInputEnd = signingInputEnd;
    this.header = header;
    this.claims = claims;
    this.algorithm = algorithm;
    this.keyId = keyId;
    this.type = type;
  }

  /** ASCII bytes of {@code header.payload}, the input the signature covers (the alphabet was checked). */
  byte[] signingInput() {
    byte[] input = new byte[signingInputEnd];
    for (int i = 0; i < signingInputEnd; i++) {
      input[i] = (byte) token.charAt(i);
    }
    return input;
  }

  /** The encoded header, the key of the verified-header cache. */
  String headerSegment() {
    return token.substring(0, token.indexOf('.'));
  }

  /** The base64url signature segment. */
  String signatureSegment() {
    return token.substring(signingInputEnd + 1);
  }

  /** The number of dot-separated segments: 3 for a JWS, 5 for a JWE, anything for an opaque token. */
  static int segments(String token) {
    int segments = 1;
    for (int i = token.indexOf('.'); i >= 0; i = token.indexOf('.', i + 1)) {
      segments++;
    }
    return segments;
  }

  private static boolean isBase64Url(String token) {
    for (int i = 0, n = token.length(); i < n; i++) {
      char c = token.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
          || c == '.')) {
        return false;
      }
    }
    return true;
  }

  /**
   * Parses a three-segment token; the caller has checked the segment count. A header segment found
   * in {@code knownHeaders} (headers of tokens that verified before: an issuer signs many tokens
   * with one header) is not decoded again.
   */
  static ParsedJws parse(String token, int maxJsonLength, Map<String, Map<String, Object>> knownHeaders)
      throws TokenValidationException {
    if (!isBase64Url(token)) {
      throw RawTokenAdvice.malformed(token,
          "the token is not a well-formed JWT: it has a character outside the base64url alphabet (padding '=' is not allowed)");
    }
    int firstDot = token.indexOf('.');
    int secondDot = token.indexOf('.', firstDot + 1);
    if (firstDot == 0 || secondDot == firstDot + 1 || secondDot == token.length() - 1) {
      throw malformed("one of its three segments is empty");
    }
    String headerSegment = token.substring(0, firstDot);
    Map<String, Object> known = knownHeaders.get(headerSegment);
    Map<String, Object> header = known != null ? known : decodeJson(headerSegment, "header", maxJsonLength);
    Object alg = header.get("alg");
    if (!(alg instanceof String algorithm)) {
      throw malformed("its header has no 'alg' string");
    }
    Object kid = header.get("kid");
    if (kid != null && !(kid instanceof String)) {
      throw malformed("its header 'kid' is not a string");
    }
    if (kid != null && ((String) kid).length() > MAX_KID_LENGTH) {
      throw malformed("its header 'kid' is longer than " + MAX_KID_LENGTH + " characters");
    }
    Object typ = header.get("typ");
    if (typ != null && !(typ instanceof String)) {
      throw malformed("its header 'typ' is not a string");
    }
    if (header.containsKey("enc")) {
      throw malformed("its header has 'enc': a JWE cannot have three segments");
    }
    Map<String, Object> claims = decodeJson(token.substring(firstDot + 1, secondDot), "payload", maxJsonLength);
    return new ParsedJws(token, secondDot, header, known != null, claims, algorithm, (String) kid, (String) typ);
  }

  /** Rejects header features this validator does not implement (RFC 7515 section 4.1.11, RFC 7797). */
  void checkCriticalHeaders() throws TokenValidationException {
    Object crit = header.get("crit");
    if (crit != null) {
      String names = crit instanceof List<?> l ? String.valueOf(l.size()) + " parameter(s)" : "a malformed value";
      throw new TokenValidationException(Reason.UNSUPPORTED_HEADER,
          "token header 'crit' lists " + names + " this validator does not understand; critical extensions are refused");
    }
    if (header.containsKey("b64")) {
      throw new TokenValidationException(Reason.UNSUPPORTED_HEADER,
          "token header has 'b64' (RFC 7797 unencoded payload), which is refused");
    }
  }

  boolean typeIsAccessToken() {
    if (type == null) {
      return false;
    }
    String t = type.toLowerCase(Locale.ROOT);
    return t.equals("at+jwt") || t.equals("application/at+jwt");
  }

  private static Map<String, Object> decodeJson(String segment, String what, int maxJsonLength)
      throws TokenValidationException {
    if (segment.length() % 4 == 1) {
      throw malformed("its " + what + " is not valid base64url");
    }
    String json;
    try {
      json = new String(Base64.getUrlDecoder().decode(segment), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw malformed("its " + what + " is not valid base64url");
    }
    try {
      return Json.parseObject(json, maxJsonLength);
    } catch (ParseException e) {
      throw malformed("its " + what + " is not a JSON object (" + Json.shown(e.getMessage()) + ")");
    }
  }

  private static TokenValidationException malformed(String what) {
    return new TokenValidationException(Reason.MALFORMED, "the token is not a well-formed JWT: " + what);
  }
}
