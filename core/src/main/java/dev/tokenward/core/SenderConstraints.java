package dev.tokenward.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The request-level path of {@link AccessTokenValidator#validate(TokenRequest)}: reads the
 * {@code Authorization} scheme, applies the DPoP policy (RFC 9449) of the endpoint or issuer, checks
 * the proof, the server nonce, the token's key binding and the replay record, and the certificate
 * binding of RFC 8705; every refusal gets the challenges RFC 9449 section 7.1 asks for.
 *
 * <p>Order: cheap request checks, the proof's stateless checks (one signature), the token (often a
 * cache hit), the nonce and the bindings, and last the replay store, so only a request that passed
 * everything else costs a store write (a network call, for a shared store).
 */
final class SenderConstraints {
  private final AccessTokenValidator validator;
  private final DpopProofVerifier proofs;
  private final Lazy<DpopNonces> nonces; // made with its secret when the first nonce is issued or checked
  private final DpopReplayStore replayStore;
  private final String externalBaseUrl; // null: the URL the request arrived on
  private final String certificateHeader; // null: only the TLS connection's certificate
  private final long maxAgeSeconds;
  private final String algs;
  private final Set<DpopPolicy> issuerPolicies;
  private final DpopPolicy onlyIssuerPolicy; // every issuer's policy when they agree, else null: read per request
  private final boolean anyIssuerNonce;

  SenderConstraints(AccessTokenValidator validator, Options o, DpopReplayStore shared, List<TrustedIssuer> issuers,
      long skewSeconds, Clock clock) {
    this.validator = validator;
    this.proofs = new DpopProofVerifier(o.algorithms, o.maxAge.toSeconds(), skewSeconds, clock);
    byte[] secret = o.nonceSecret; // the builder's copy, never changed; null: a random one of this validator's own
    Duration rotation = o.nonceRotation;
    this.nonces = new Lazy<>(() -> new DpopNonces(secret != null ? secret : DpopNonces.randomSecret(), rotation, clock));
    this.replayStore = shared != null ? shared : o.replayStore != null ? o.replayStore
        : DpopReplayStore.inMemory(o.replayStoreSize, clock);
    this.externalBaseUrl = o.externalBaseUrl;
    this.certificateHeader = o.certificateHeader;
    this.maxAgeSeconds = o.maxAge.toSeconds();
    this.algs = String.join(" ", o.algorithms);
    this.issuerPolicies = issuers.stream().map(t -> t.dpopPolicy).collect(java.util.stream.Collectors.toUnmodifiableSet());
    this.onlyIssuerPolicy = issuerPolicies.size() == 1 ? issuerPolicies.iterator().next() : null;
    this.anyIssuerNonce = issuers.stream().anyMatch(t -> t.dpopNonceRequired && t.dpopPolicy != DpopPolicy.OFF);
  }

  /** The validator-wide DPoP settings, gathered by the builder. */
  static final class Options {
    Set<String> algorithms = DpopProofVerifier.checkedAlgorithms(List.of("ES256", "EdDSA", "RS256", "PS256"));
    Duration maxAge = Duration.ofSeconds(300);
    byte[] nonceSecret; // null: each validator makes a random one
    Duration nonceRotation = Duration.ofSeconds(60);
    DpopReplayStore replayStore;
    long replayStoreSize = 100_000;
    String externalBaseUrl;
    String certificateHeader;
  }

  /** The proof algorithms, in the order of the {@code algs} challenge parameter. */
  String algs() {
    return algs;
  }

  /** The DPoP challenge of a refusal: made only when refusing, never on the way to an accepted token. */
  private Challenge dpopChallenge(TokenRequest request) {
    return new Challenge(false, true, algs, freshNonce(request.dpopNonceRequired().orElse(false)));
  }

  /** A fresh nonce when nonces are required anywhere (an issuer, or {@code endpointRequires}). */
  String freshNonce(boolean endpointRequires) {
    return endpointRequires || anyIssuerNonce ? nonces.get().current() : null;
  }

  String certificateHeader() {
    return certificateHeader;
  }

  /** Scheme "bearer" or "dpop"; the token's cache key, or null (no token cache, or a token too long to hash). */
  private record Credentials(String scheme, String token, JwtPath.Key key) {}

  VerifiedToken validate(TokenRequest request) throws TokenValidationException {
    SenderConstraint constraint = request.senderConstraint().orElse(null);
    DpopPolicy endpoint = constraint == SenderConstraint.DPOP ? DpopPolicy.REQUIRED : request.dpopPolicy().orElse(null);
    DpopPolicy known = endpoint != null ? endpoint : onlyIssuerPolicy;
    Credentials credentials;
    try {
      credentials = credentials(request.authorization(), validator);
    } catch (TokenValidationException e) {
      throw e.challenge(Challenge.BEARER);
    }
    if (credentials == null || (credentials.scheme.equals("dpop") && known == DpopPolicy.OFF)) {
      throw noCredentials(endpoint, credentials == null
          ? (known == DpopPolicy.REQUIRED ? "this resource requires a DPoP-bound access token in the Authorization header"
              : "this resource requires a bearer access token in the Authorization header")
          : "the DPoP scheme is not accepted here; send the access token with the Bearer scheme");
    }
    if (credentials.scheme.equals("bearer")) {
      return bearer(request, credentials, endpoint, known, constraint);
    }
    try {
      return dpop(request, credentials, endpoint);
    } catch (TokenValidationException e) {
      if (e.challenge() == Challenge.BEARER) {
        e.challenge(dpopChallenge(request));
      }
      throw e;
    }
  }

  private VerifiedToken bearer(TokenRequest request, Credentials credentials, DpopPolicy endpoint, DpopPolicy known,
      SenderConstraint constraint) throws TokenValidationException {
    if (known == DpopPolicy.REQUIRED) {
      throw dpopRequired().challenge(dpopChallenge(request));
    }
    VerifiedToken verified = validator.verifyBoundOrNot(credentials.token, credentials.key, request::uri, request.online());
    TrustedIssuer issuer = validator.trustedIssuerOf(verified);
    try {
      return boundAsBearer(request, verified, issuer, endpoint, constraint);
    } catch (TokenValidationException e) {
      throw e.attributeTo(issuer.issuer); // the token verified: its issuer's policy refused the request
    }
  }

  private VerifiedToken boundAsBearer(TokenRequest request, VerifiedToken verified, TrustedIssuer issuer,
      DpopPolicy endpoint, SenderConstraint constraint) throws TokenValidationException {
    DpopPolicy policy = endpoint != null ? endpoint : issuer.dpopPolicy;
    if (policy == DpopPolicy.REQUIRED) {
      throw dpopRequired().challenge(dpopChallenge(request));
    }
    Object cnf = verified.claims().get("cnf");
    if (keyThumbprint(cnf) != null || (verified.kind() == TokenKind.OPAQUE
        && verified.claims().get("token_type") instanceof String type && type.equalsIgnoreCase("DPoP"))) {
      TokenValidationException e = new TokenValidationException(Reason.DPOP_TOKEN_AS_BEARER, "the token is bound to a "
          + "DPoP key (cnf jkt) and came under the Bearer scheme, which proves nothing; send it with the DPoP scheme "
          + "and a DPoP proof signed by that key");
      throw e.challenge(policy == DpopPolicy.OFF ? Challenge.BEARER : dpopChallenge(request));
    }
    String x5t = CertificateBinding.boundThumbprint(cnf);
    if (x5t != null) {
      CertificateBinding.check(x5t, request, certificateHeader);
    } else if (constraint == SenderConstraint.DPOP_OR_MTLS) {
      throw new TokenValidationException(Reason.SENDER_CONSTRAINT_REQUIRED, "this resource requires a "
          + "sender-constrained token: a DPoP-bound token sent with the DPoP scheme and a DPoP proof, or a "
          + "certificate-bound token (cnf x5t#S256) sent over TLS with its client certificate; a plain bearer token "
          + "is not accepted here").challenge(policy == DpopPolicy.OFF ? Challenge.BEARER : dpopChallenge(request));
    }
    return verified;
  }

  private VerifiedToken dpop(TokenRequest request, Credentials credentials, DpopPolicy endpoint)
      throws TokenValidationException {
    String token = credentials.token;
    List<String> values = request.dpopProofs();
    if (values.isEmpty()) {
      throw new TokenValidationException(Reason.DPOP_PROOF_MISSING,
          "the DPoP scheme was used without a DPoP header; send exactly one DPoP proof with the request");
    }
    if (values.size() > 1) {
      throw new TokenValidationException(Reason.DPOP_PROOF_MULTIPLE, "the request has " + values.size()
          + " DPoP headers; RFC 9449 allows exactly one");
    }
    DpopProofVerifier.Proof proof = proofs.verify(values.get(0), request.method(), requestUri(request), token);
    VerifiedToken verified = validator.verifyBoundOrNot(token, credentials.key, request::uri, request.online());
    TrustedIssuer issuer = validator.trustedIssuerOf(verified);
    try {
      return provenBinding(request, proof, verified, issuer, endpoint);
    } catch (TokenValidationException e) {
      throw e.attributeTo(issuer.issuer); // the token verified: its issuer's policy refused the request
    }
  }

  private VerifiedToken provenBinding(TokenRequest request, DpopProofVerifier.Proof proof, VerifiedToken verified,
      TrustedIssuer issuer, DpopPolicy endpoint) throws TokenValidationException {
    DpopPolicy policy = endpoint != null ? endpoint : issuer.dpopPolicy;
    if (policy == DpopPolicy.OFF) {
      throw noCredentials(DpopPolicy.OFF, "the DPoP scheme is not accepted for tokens of this issuer; "
          + "send the access token with the Bearer scheme");
    }
    boolean nonceRequired = request.dpopNonceRequired().orElse(issuer.dpopNonceRequired);
    if (nonceRequired && (proof.nonce() == null || !nonces.get().isValid(proof.nonce()))) {
      throw new TokenValidationException(Reason.DPOP_NONCE_REQUIRED, proof.nonce() == null
          ? "this resource requires a server nonce in the DPoP proof; sign a new proof with the nonce of the DPoP-Nonce header"
          : "the DPoP proof's nonce is stale or was not issued here; sign a new proof with the nonce of the DPoP-Nonce header")
          .challenge(new Challenge(false, true, algs, nonces.get().current()));
    }
    Object cnf = verified.claims().get("cnf");
    String jkt = keyThumbprint(cnf);
    if (jkt == null) {
      throw new TokenValidationException(Reason.DPOP_TOKEN_NOT_BOUND, "the DPoP scheme was used with a token that is "
          + "not DPoP-bound (it has no cnf jkt" + (verified.kind() == TokenKind.OPAQUE ? " in the introspection answer" : "")
          + "); send a bearer token with the Bearer scheme, or request a DPoP-bound token");
    }
    if (!MessageDigest.isEqual(jkt.getBytes(StandardCharsets.US_ASCII), proof.thumbprint().getBytes(StandardCharsets.US_ASCII))) {
      throw new TokenValidationException(Reason.DPOP_KEY_MISMATCH, "the token is bound to another key: its cnf jkt "
          + "is not the RFC 7638 thumbprint of the DPoP proof's jwk");
    }
    String x5t = CertificateBinding.boundThumbprint(cnf);
    if (x5t != null) {
      CertificateBinding.check(x5t, request, certificateHeader);
    }
    recordFirstUse(proof, issuer.issuer);
    return verified;
  }

  /** Marks the proof used; a second use within its lifetime, or a store that cannot tell, is a refusal. */
  private void recordFirstUse(DpopProofVerifier.Proof proof, String issuer) throws TokenValidationException {
    String key = replayKey(proof.thumbprint(), proof.jti());
    Instant until = Instant.ofEpochSecond(proof.issuedAt() + maxAgeSeconds + 1);
    boolean first;
    try {
      first = replayStore.firstUse(key, until);
    } catch (IOException | RuntimeException e) {
      ValidationListener listener = validator.listener();
      if (listener != null) {
        listener.dpopReplayStoreFailed(issuer, e);
      }
      throw new TokenValidationException(Reason.REPLAY_STORE_UNAVAILABLE, "the DPoP replay store cannot answer ("
          + e.getClass().getSimpleName() + "), so replay protection cannot be enforced; retry later",
          null, Duration.ofSeconds(5), null);
    }
    if (!first) {
      ValidationListener listener = validator.listener();
      if (listener != null) {
        listener.dpopReplayDetected(issuer);
      }
      throw new TokenValidationException(Reason.DPOP_PROOF_REPLAY, "the DPoP proof's jti was already used: a proof is "
          + "good for one request only; sign a new proof for each request");
    }
  }

  /** base64url(SHA-256(thumbprint "." jti)): fixed length whatever the jti, and distinct per key. */
  static String replayKey(String thumbprint, String jti) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(thumbprint.getBytes(StandardCharsets.US_ASCII));
      sha.update((byte) '.');
      return Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest(jti.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  /** The URI {@code htu} must name: the request's, rebased on the external base URL when one is configured. */
  private String requestUri(TokenRequest request) throws TokenValidationException {
    try {
      String raw = externalBaseUrl == null ? request.uri().toString() : Htu.rebase(request.uri(), externalBaseUrl);
      return Htu.normalize(raw);
    } catch (IllegalArgumentException e) {
      throw new TokenValidationException(Reason.INVALID_REQUEST, "the request URI cannot be normalised: " + e.getMessage());
    }
  }

  /** The {@code jkt} of a {@code cnf} claim, or null if there is none. */
  static String keyThumbprint(Object cnf) throws TokenValidationException {
    if (cnf == null) {
      return null;
    }
    if (!(cnf instanceof Map<?, ?> map)) {
      throw new TokenValidationException(Reason.MALFORMED, "token 'cnf' is not a JSON object");
    }
    Object jkt = map.get("jkt");
    if (jkt == null) {
      return null;
    }
    if (!(jkt instanceof String s) || s.isEmpty()) {
      throw new TokenValidationException(Reason.MALFORMED, "token 'cnf' has a 'jkt' that is not a non-empty string");
    }
    return s;
  }

  private static TokenValidationException dpopRequired() {
    return new TokenValidationException(Reason.DPOP_REQUIRED, "this resource requires a DPoP-bound token: send it "
        + "with the DPoP scheme and a DPoP proof, not as a bearer token");
  }

  /** No usable credentials: the challenges the policy offers (RFC 9449 section 7.1: both where DPoP is allowed). */
  private TokenValidationException noCredentials(DpopPolicy endpoint, String description) {
    boolean bearer;
    boolean dpop;
    if (endpoint != null) {
      bearer = endpoint != DpopPolicy.REQUIRED;
      dpop = endpoint != DpopPolicy.OFF;
    } else {
      bearer = issuerPolicies.stream().anyMatch(p -> p != DpopPolicy.REQUIRED);
      dpop = issuerPolicies.stream().anyMatch(p -> p != DpopPolicy.OFF);
    }
    return new TokenValidationException(Reason.MISSING_TOKEN, description)
        .challenge(new Challenge(bearer, dpop, algs, null));
  }

  /** The scheme and value of the single Authorization header, or null for none or another scheme. */
  private static Credentials credentials(List<String> authorization, AccessTokenValidator validator)
      throws TokenValidationException {
    if (authorization.isEmpty()) {
      return null;
    }
    if (authorization.size() > 1) {
      throw new TokenValidationException(Reason.INVALID_REQUEST, "the request has " + authorization.size()
          + " Authorization headers; send exactly one");
    }
    String h = authorization.get(0).strip();
    int space = h.indexOf(' ');
    String scheme = (space < 0 ? h : h.substring(0, space)).toLowerCase(Locale.ROOT);
    if (!scheme.equals("bearer") && !scheme.equals("dpop")) {
      return null;
    }
    String value = space < 0 ? "" : h.substring(space + 1).stripLeading();
    if (value.isEmpty()) {
      throw new TokenValidationException(Reason.INVALID_REQUEST, "empty token in the Authorization header");
    }
    // A token verified before passed this check (a JWS's characters are all b64token characters), so its check is
    // skipped: the same answer, without a pass over every character of every request's token, which cost as much as
    // the hash. The token's bytes, hash and cache lookup are made once, here, and handed to the token path.
    JwtPath.Key key = validator.tokenCacheKey(value);
    if ((key == null || key.cached() == null) && !BearerTokenExtractor.isB64Token(value)) {
      throw new TokenValidationException(Reason.INVALID_REQUEST,
          "a character outside the RFC 6750 b64token alphabet in the Authorization header");
    }
    return new Credentials(scheme, value, key);
  }
}
