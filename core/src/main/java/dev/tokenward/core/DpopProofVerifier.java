package dev.tokenward.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.jwk.JWK;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks one DPoP proof JWT as RFC 9449 section 4.3 lists, except what needs state kept elsewhere
 * (the {@code jti} replay record, the server nonce, the token's {@code cnf.jkt}), for which it hands
 * back what it read. Each failure has its own {@link Reason}; the description names the check and
 * never echoes the proof or the token.
 *
 * <p>The key is the one in the proof's own {@code jwk} header: that is the point of DPoP, and it is
 * safe because the token's {@code cnf.jkt}, which the issuer signed, must name that very key.
 */
final class DpopProofVerifier {
  /** Longest proof read: a proof carries one public key, so even RSA-4096 fits in well under this. */
  static final int MAX_PROOF_LENGTH = 8 * 1024;
  static final int MAX_JTI_LENGTH = 256;
  /** Proof headers remembered once checked (one per client key in use), and the longest one remembered. */
  static final int KEY_CACHE_SIZE = 1024;
  static final int MAX_CACHED_HEADER = 2048;
  private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

  private final Set<String> algorithms;
  private final long maxAgeSeconds;
  private final long skewSeconds;
  private final Clock clock;
  /** Checked proof headers by their base64url segment: a client's proofs share one, so its key is parsed once. */
  private final Lazy<Cache<String, ProofKey>> keys =
      new Lazy<>(() -> Caffeine.newBuilder().maximumSize(KEY_CACHE_SIZE).<String, ProofKey>build());

  /** What the proof says, once every stateless check passed. */
  record Proof(String thumbprint, String jti, long issuedAt, String nonce) {}

  /** A checked proof header: its algorithm, the key of its {@code jwk} ready to verify, and that key's thumbprint. */
  private record ProofKey(String algorithm, KeyCandidate key, String thumbprint) {}

  DpopProofVerifier(Set<String> algorithms, long maxAgeSeconds, long skewSeconds, Clock clock) {
    this.algorithms = Set.copyOf(algorithms);
    this.maxAgeSeconds = maxAgeSeconds;
    this.skewSeconds = skewSeconds;
    this.clock = clock;
  }

  /**
   * @param proof the single {@code DPoP} header value
   * @param method the request method, compared with {@code htm}
   * @param requestUri the request URI as {@link Htu#normalize} gives it, compared with {@code htu}
   * @param accessToken the access token sent with the proof, whose hash {@code ath} must be
   */
  Proof verify(String proof, String method, String requestUri, String accessToken) throws TokenValidationException {
    if (proof.length() > MAX_PROOF_LENGTH) {
      throw malformed("it is " + proof.length() + " characters long, more than the limit of " + MAX_PROOF_LENGTH);
    }
    int firstDot = proof.indexOf('.');
    int secondDot = firstDot < 0 ? -1 : proof.indexOf('.', firstDot + 1);
    if (firstDot <= 0 || secondDot < 0 || secondDot == firstDot + 1 || secondDot == proof.length() - 1
        || proof.indexOf('.', secondDot + 1) >= 0 || !isBase64Url(proof)) {
      throw malformed("it is not a compact JWS of three non-empty base64url segments");
    }
    String headerSegment = proof.substring(0, firstDot);
    ProofKey proofKey = headerSegment.length() <= MAX_CACHED_HEADER ? keys.get().getIfPresent(headerSegment) : null;
    if (proofKey == null) {
      proofKey = readHeader(headerSegment);
      if (headerSegment.length() <= MAX_CACHED_HEADER) {
        keys.get().put(headerSegment, proofKey);
      }
    }
    String algorithm = proofKey.algorithm;
    KeyCandidate key = proofKey.key;
    byte[] input = proof.substring(0, secondDot).getBytes(StandardCharsets.US_ASCII);
    if (!key.verify(algorithm, input, proof.substring(secondDot + 1))) {
      throw new TokenValidationException(Reason.DPOP_PROOF_SIGNATURE,
          "the DPoP proof's " + algorithm + " signature does not verify with the key in its 'jwk' header");
    }

    Map<String, Object> claims = decodePayload(proof.substring(firstDot + 1, secondDot));
    String jti = string(claims, "jti");
    if (jti.length() > MAX_JTI_LENGTH) {
      throw malformed("its 'jti' is longer than " + MAX_JTI_LENGTH + " characters");
    }
    String htm = string(claims, "htm");
    String htu = string(claims, "htu");
    Object iatValue = claims.get("iat");
    if (!(iatValue instanceof Number iatNumber)) {
      throw malformed(iatValue == null ? "it has no 'iat' claim" : "its 'iat' is not a number of seconds");
    }
    if (!htm.equals(method)) {
      throw new TokenValidationException(Reason.DPOP_PROOF_METHOD, "the DPoP proof's 'htm' " + Json.shown(htm)
          + " is not the request's method " + method);
    }
    String normalizedHtu;
    try {
      normalizedHtu = Htu.normalize(htu);
    } catch (IllegalArgumentException e) {
      throw new TokenValidationException(Reason.DPOP_PROOF_URI, "the DPoP proof's 'htu' is not a usable http(s) URI: "
          + e.getMessage());
    }
    if (!normalizedHtu.equals(requestUri)) {
      throw new TokenValidationException(Reason.DPOP_PROOF_URI, "the DPoP proof's 'htu' " + Json.shown(normalizedHtu)
          + " is not this request's URI " + Json.shown(requestUri)
          + " (query and fragment ignored; behind a proxy, configure the external base URL)");
    }
    double iatSeconds = iatNumber.doubleValue();
    if (!(iatSeconds >= 0 && iatSeconds <= 253_402_300_799L)) { // also refuses NaN and infinities
      throw malformed("its 'iat' is outside the range of a date");
    }
    long now = clock.millis() / 1000;
    long iat = (long) Math.floor(iatSeconds);
    if (iat < now - maxAgeSeconds) {
      throw new TokenValidationException(Reason.DPOP_PROOF_TIME, "the DPoP proof was made " + (now - iat)
          + " s ago, more than the maximum proof age of " + maxAgeSeconds + " s; sign a new proof for each request");
    }
    if (iat > now + skewSeconds) {
      throw new TokenValidationException(Reason.DPOP_PROOF_TIME, "the DPoP proof's 'iat' is " + (iat - now)
          + " s in the future, beyond the clock skew of " + skewSeconds + " s");
    }
    Object ath = claims.get("ath");
    if (ath == null) {
      throw new TokenValidationException(Reason.DPOP_PROOF_TOKEN_HASH,
          "the DPoP proof has no 'ath' claim; a proof sent with an access token must carry its hash");
    }
    if (!(ath instanceof String athValue) || !AccessTokenHash.matches(athValue, accessToken)) {
      throw new TokenValidationException(Reason.DPOP_PROOF_TOKEN_HASH,
          "the DPoP proof's 'ath' is not the SHA-256 hash of the access token it came with; it was made for another token");
    }
    Object nonce = claims.get("nonce");
    if (nonce != null && !(nonce instanceof String)) {
      throw malformed("its 'nonce' is not a string");
    }
    return new Proof(proofKey.thumbprint, jti, iat, (String) nonce);
  }

  /**
   * Everything the proof's header decides, checked (RFC 9449 section 4.3 steps 4, 5 and 7): {@code typ},
   * no {@code crit}/{@code b64}, {@code alg} on the allow-list, a public {@code jwk} that fits it; and
   * the key's RFC 7638 thumbprint. A client signs every proof with the same key and header, so the
   * answer is kept per header segment (its exact bytes, which the signature covers).
   */
  private ProofKey readHeader(String headerSegment) throws TokenValidationException {
    Map<String, Object> header = decode(headerSegment, "header");

    // typ: RFC 7515 section 4.1.9 lets the "application/" prefix be left out; media types ignore case
    Object typ = header.get("typ");
    String t = typ instanceof String s ? s.toLowerCase(Locale.ROOT) : null;
    if (!"dpop+jwt".equals(t) && !"application/dpop+jwt".equals(t)) {
      throw malformed("its header 'typ' is " + Json.shown(typ) + ", not 'dpop+jwt'");
    }
    if (header.containsKey("crit") || header.containsKey("b64")) {
      throw malformed("its header has 'crit' or 'b64', which are refused");
    }
    Object alg = header.get("alg");
    if (!(alg instanceof String algorithm)) {
      throw new TokenValidationException(Reason.DPOP_PROOF_ALGORITHM, "the DPoP proof's header has no 'alg' string");
    }
    if (!algorithms.contains(algorithm)) {
      throw new TokenValidationException(Reason.DPOP_PROOF_ALGORITHM, "the DPoP proof's 'alg' " + Json.shown(algorithm)
          + " is not among the proof algorithms accepted here " + algorithms
          + (algorithm.equalsIgnoreCase("none") || algorithm.startsWith("HS") ? "; a proof must be signed with a private key" : ""));
    }

    KeyCandidate key;
    JWK jwk;
    Object jwkValue = header.get("jwk");
    if (!(jwkValue instanceof Map<?, ?> jwkMap)) {
      throw new TokenValidationException(Reason.DPOP_PROOF_KEY, "the DPoP proof's header has no 'jwk' object");
    }
    for (Object member : jwkMap.keySet()) {
      if (PRIVATE_MEMBERS.contains(member)) {
        throw new TokenValidationException(Reason.DPOP_PROOF_KEY, "the DPoP proof's 'jwk' has the private member '"
            + member + "'; a proof carries only a public key (and this one's private key is now exposed)");
      }
    }
    try {
      @SuppressWarnings("unchecked")
      Map<String, Object> members = (Map<String, Object>) jwkMap;
      jwk = JWK.parse(members);
    } catch (ParseException | RuntimeException e) {
      throw new TokenValidationException(Reason.DPOP_PROOF_KEY, "the DPoP proof's 'jwk' is not a valid JWK");
    }
    if (jwk.isPrivate()) {
      throw new TokenValidationException(Reason.DPOP_PROOF_KEY, "the DPoP proof's 'jwk' is a private key");
    }
    try {
      key = KeyCandidate.fromJwk(jwk);
    } catch (IllegalArgumentException e) {
      throw new TokenValidationException(Reason.DPOP_PROOF_KEY, "the DPoP proof's 'jwk' is unusable: " + e.getMessage());
    }
    if (!key.fits(algorithm)) {
      throw new TokenValidationException(Reason.DPOP_PROOF_KEY, "the DPoP proof's 'jwk' (" + jwk.getKeyType()
          + ") cannot verify 'alg' " + Json.shown(algorithm));
    }
    return new ProofKey(algorithm, key, JwkThumbprint.sha256(jwk));
  }

  private static String string(Map<String, Object> claims, String name) throws TokenValidationException {
    Object v = claims.get(name);
    if (v == null) {
      throw malformed("it has no '" + name + "' claim");
    }
    if (!(v instanceof String s) || s.isEmpty()) {
      throw malformed("its '" + name + "' is not a non-empty string");
    }
    return s;
  }

  private static Map<String, Object> decode(String segment, String what) throws TokenValidationException {
    String json;
    try {
      json = new String(Base64.getUrlDecoder().decode(segment), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw malformed("its " + what + " is not valid base64url");
    }
    try {
      return Json.parseObject(json, MAX_PROOF_LENGTH);
    } catch (ParseException e) {
      throw malformed("its " + what + " is not a JSON object");
    }
  }

  /**
   * The payload, read by the strict parser the token path uses ({@link TokenJson}: no duplicate top-level claim,
   * no lenient syntax), which also costs a fraction of nimbus's per proof; the header, read once per client key
   * and cached, keeps nimbus's parser, whose maps {@code JWK.parse} expects.
   */
  private static Map<String, Object> decodePayload(String segment) throws TokenValidationException {
    byte[] json;
    try {
      json = Base64.getUrlDecoder().decode(segment);
    } catch (IllegalArgumentException e) {
      throw malformed("its payload is not valid base64url");
    }
    try {
      return TokenJson.parseObject(json);
    } catch (ParseException | RuntimeException | StackOverflowError e) {
      throw malformed("its payload is not a JSON object");
    }
  }

  private static boolean isBase64Url(String s) {
    for (int i = 0, n = s.length(); i < n; i++) {
      char c = s.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) {
        return false;
      }
    }
    return true;
  }

  private static TokenValidationException malformed(String what) {
    return new TokenValidationException(Reason.DPOP_PROOF_MALFORMED, "the DPoP proof is not well-formed: " + what);
  }

  /** The algorithms a proof may use, checked: asymmetric only; {@code EdDSA} also admits {@code Ed25519} (RFC 9864). */
  static Set<String> checkedAlgorithms(List<String> configured) {
    java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
    for (String a : configured) {
      if (a == null || a.isBlank()) {
        throw new IllegalArgumentException("dpopAlgorithms: values must not be empty");
      }
      String alg = a.trim();
      if (alg.equalsIgnoreCase("none") || alg.toUpperCase(Locale.ROOT).startsWith("HS")) {
        throw new IllegalArgumentException("dpopAlgorithms: '" + alg
            + "' is not allowed for DPoP proofs; a proof must be signed with an asymmetric key (RFC 9449 section 4.3)");
      }
      String family = KeyCandidate.familyOf(alg);
      if (family == null || family.equals("HMAC")) {
        throw new IllegalArgumentException("dpopAlgorithms: unknown or unsupported JWS algorithm '" + alg
            + "'; supported: RS256 RS384 RS512 PS256 PS384 PS512 ES256 ES384 ES512 ES256K EdDSA Ed25519");
      }
      out.add(alg);
      if (alg.equals("EdDSA")) {
        out.add("Ed25519");
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("dpopAlgorithms: at least one is required");
    }
    return out;
  }
}
