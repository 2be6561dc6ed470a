package dev.tokenward.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Arrays;
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
  private final byte[] ascii; // the token's characters as bytes, shared with the token hash
  private final int signingInputEnd;
  private byte[] signature; // decoded on first use

  private ParsedJws(String token, byte[] ascii, int signingInputEnd, Map<String, Object> header, boolean headerKnown,
      Map<String, Object> claims, String algorithm, String keyId, String type) {
    this.token = token;
    this.ascii = ascii;
    this.headerKnown = headerKnown;
    this.signingInputEnd = signingInputEnd;
    this.header = header;
    this.claims = claims;
    this.algorithm = algorithm;
    this.keyId = keyId;
    this.type = type;
  }

  /**
   * The token's bytes; the signature covers the first {@link #signingInputLength()} of them
   * ({@code header.payload}). Shared, not copied: callers must not modify it.
   */
  byte[] bytes() {
    return ascii;
  }

  int signingInputLength() {
    return signingInputEnd;
  }

  /** A copy of {@code header.payload}, for verifiers that only take a whole array. */
  byte[] signingInput() {
    return Arrays.copyOf(ascii, signingInputEnd);
  }

  /** The decoded signature, decoded once (the alphabet was checked; an impossible length decodes to nothing). */
  byte[] signature() {
    if (signature == null) {
      byte[] decoded = decode(ascii, signingInputEnd + 1, ascii.length);
      signature = decoded == null ? new byte[0] : decoded;
    }
    return signature;
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

  /** The base64url alphabet plus '.', by byte value. */
  private static final boolean[] JWS_ALPHABET = new boolean[256];

  static {
    for (char c = 'A'; c <= 'Z'; c++) {
      JWS_ALPHABET[c] = true;
      JWS_ALPHABET[c + ('a' - 'A')] = true;
    }
    for (char c = '0'; c <= '9'; c++) {
      JWS_ALPHABET[c] = true;
    }
    JWS_ALPHABET['-'] = true;
    JWS_ALPHABET['_'] = true;
    JWS_ALPHABET['.'] = true;
  }

  /**
   * The token as one byte per character, made once and shared by the hash, the alphabet check,
   * the base64url decoding and the signature: a character above U+00FF becomes '?', which the
   * alphabet check refuses like any other byte outside base64url.
   */
  static byte[] bytesOf(String token) {
    return token.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static boolean isBase64Url(byte[] ascii) {
    for (byte b : ascii) {
      if (!JWS_ALPHABET[b & 0xff]) {
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
  static ParsedJws parse(String token, byte[] ascii, int maxJsonLength, VerifiedHeaders knownHeaders)
      throws TokenValidationException {
    if (!isBase64Url(ascii)) {
      throw RawTokenAdvice.malformed(token,
          "the token is not a well-formed JWT: it has a character outside the base64url alphabet (padding '=' is not allowed)");
    }
    int firstDot = token.indexOf('.');
    int secondDot = token.indexOf('.', firstDot + 1);
    if (firstDot == 0 || secondDot == firstDot + 1 || secondDot == token.length() - 1) {
      throw malformed("one of its three segments is empty");
    }
    Map<String, Object> known = knownHeaders.find(token, firstDot);
    Map<String, Object> header = known != null ? known : decodeJson(ascii, 0, firstDot, "header", maxJsonLength);
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
    Map<String, Object> claims = decodeJson(ascii, firstDot + 1, secondDot, "payload", maxJsonLength);
    return new ParsedJws(token, ascii, secondDot, header, known != null, claims, algorithm, (String) kid, (String) typ);
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

  /** Base64url-decodes {@code ascii[from, to)}; null if that is not valid base64url. */
  private static byte[] decode(byte[] ascii, int from, int to) {
    if ((to - from) % 4 == 1) {
      return null;
    }
    try {
      ByteBuffer decoded = Base64.getUrlDecoder().decode(ByteBuffer.wrap(ascii, from, to - from));
      byte[] array = decoded.array();
      return decoded.remaining() == array.length ? array : Arrays.copyOf(array, decoded.remaining());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Map<String, Object> decodeJson(byte[] ascii, int from, int to, String what, int maxJsonLength)
      throws TokenValidationException {
    byte[] bytes = decode(ascii, from, to);
    if (bytes == null) {
      throw malformed("its " + what + " is not valid base64url");
    }
    if (bytes.length > maxJsonLength) {
      throw malformed("its " + what + " is longer than " + maxJsonLength + " bytes");
    }
    try {
      return TokenJson.parseObject(bytes);
    } catch (ParseException e) {
      throw malformed("its " + what + " is not a JSON object (" + Json.shown(e.getMessage()) + ")");
    } catch (RuntimeException | StackOverflowError e) {
      // defensive: the parser only throws ParseException, but this input is hostile
      throw malformed("its " + what + " is not a JSON object (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static TokenValidationException malformed(String what) {
    return new TokenValidationException(Reason.MALFORMED, "the token is not a well-formed JWT: " + what);
  }
}
