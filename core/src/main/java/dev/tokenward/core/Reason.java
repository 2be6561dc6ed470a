package dev.tokenward.core;

/**
 * Why a request was refused. Callers switch on it; the constant names and their RFC 6750
 * mapping are stable API, so a dashboard or an alert can count them.
 *
 * <p>Each reason carries the HTTP status and RFC 6750 {@code error} code a resource server
 * answers with: token problems are {@code 401 invalid_token}, request problems {@code 400
 * invalid_request}, missing grants {@code 403 insufficient_scope}, and an issuer that cannot be
 * reached {@code 503 temporarily_unavailable}. A request without any bearer token is a 401 with
 * no error code, as RFC 6750 section 3.1 asks. DPoP proof failures are {@code 401 invalid_dpop_proof}
 * and a missing server nonce {@code 401 use_dpop_nonce} (RFC 9449 section 7.1).
 */
public enum Reason {
  /** The request carried no bearer token at all (or another scheme, such as Basic). */
  MISSING_TOKEN(401, null),
  /** The request was malformed: empty bearer value, characters outside {@code b64token}, several tokens or several Authorization headers. */
  INVALID_REQUEST(400, "invalid_request"),
  /** The token is not a well-formed JWS: bad base64url, not JSON, a claim of the wrong type, or longer than the configured maximum. */
  MALFORMED(401, "invalid_token"),
  /** The header's {@code alg} is not in the allow-list, or is {@code none}. */
  DISALLOWED_ALGORITHM(401, "invalid_token"),
  /** The header uses a feature this validator refuses: {@code crit}, or {@code b64: false}. */
  UNSUPPORTED_HEADER(401, "invalid_token"),
  /** No key in the issuer's JWKS has the token's {@code kid} and fits its {@code alg}. */
  UNKNOWN_KEY(401, "invalid_token"),
  /** The signature does not verify with the issuer's key. */
  BAD_SIGNATURE(401, "invalid_token"),
  /** {@code iss} is not exactly one of the configured issuers. */
  WRONG_ISSUER(401, "invalid_token"),
  /** {@code aud} does not contain a configured audience. */
  WRONG_AUDIENCE(401, "invalid_token"),
  /** A required claim ({@code iss}, {@code aud}, {@code exp}, or {@code iat} when a maximum age is set) is absent. */
  MISSING_CLAIM(401, "invalid_token"),
  /** {@code exp} has passed, allowing for the clock skew. */
  EXPIRED(401, "invalid_token"),
  /** {@code nbf} or {@code iat} lies in the future, beyond the clock skew. */
  NOT_YET_VALID(401, "invalid_token"),
  /** {@code iat} is older than the configured maximum token age. */
  TOO_OLD(401, "invalid_token"),
  /** Strict RFC 9068 mode is on and the header {@code typ} is not {@code at+jwt}, or introspection names a {@code token_type} that is not an access token. */
  WRONG_TYPE(401, "invalid_token"),
  /** An OpenID Connect ID token was presented where an access token belongs. */
  ID_TOKEN(401, "invalid_token"),
  /** The token is not a JWS and the issuer's opaque-token policy is {@code REJECT}. */
  OPAQUE_REJECTED(401, "invalid_token"),
  /**
   * The token's {@code cnf} claim binds it by a confirmation method tokenward cannot prove (RFC 7800
   * {@code jwk}, {@code kid}, {@code jku}...): a bound token is never accepted unproven. A DPoP or
   * certificate binding presented as a plain bearer token is {@link #DPOP_TOKEN_AS_BEARER} or
   * {@link #CERTIFICATE_MISMATCH}.
   */
  BINDING_NOT_PROVEN(401, "invalid_token"),
  /** The issuer says the token is not active: introspection answered {@code active: false}, or userinfo refused it. */
  INACTIVE(401, "invalid_token"),
  /** A custom {@link ClaimCheck} refused the token. */
  CLAIM_CHECK_FAILED(401, "invalid_token"),
  /** The token is valid but lacks a scope or permission the resource requires. */
  INSUFFICIENT_SCOPE(403, "insufficient_scope"),
  /**
   * The token is valid but the user's authentication is not strong or recent enough for the resource
   * (RFC 9470 step-up): its {@code acr}, {@code amr} or {@code auth_time} falls short of a {@link StepUp}.
   */
  INSUFFICIENT_USER_AUTHENTICATION(401, "insufficient_user_authentication"),
  /** The issuer's keys, discovery, userinfo or introspection endpoint could not be reached and nothing cached can decide. */
  ISSUER_UNAVAILABLE(503, "temporarily_unavailable"),

  // ---- sender-constrained tokens: DPoP (RFC 9449) and mTLS (RFC 8705), only from validate(TokenRequest)

  /** The {@code DPoP} scheme was used but the request has no {@code DPoP} proof header. */
  DPOP_PROOF_MISSING(401, "invalid_dpop_proof"),
  /** The request has more than one {@code DPoP} header (RFC 9449 section 4.3, check 1). */
  DPOP_PROOF_MULTIPLE(401, "invalid_dpop_proof"),
  /** The proof is not a well-formed JWS, its {@code typ} is not {@code dpop+jwt}, or a claim is missing or mistyped. */
  DPOP_PROOF_MALFORMED(401, "invalid_dpop_proof"),
  /** The proof's {@code alg} is not an asymmetric algorithm on the proof allow-list. */
  DPOP_PROOF_ALGORITHM(401, "invalid_dpop_proof"),
  /** The proof's {@code jwk} is missing, holds private key members, or cannot verify the proof's {@code alg}. */
  DPOP_PROOF_KEY(401, "invalid_dpop_proof"),
  /** The proof's signature does not verify with the key in its own {@code jwk} header. */
  DPOP_PROOF_SIGNATURE(401, "invalid_dpop_proof"),
  /** The proof's {@code htm} is not the request's method. */
  DPOP_PROOF_METHOD(401, "invalid_dpop_proof"),
  /** The proof's {@code htu} is not the request's URI (query and fragment ignored, both normalised). */
  DPOP_PROOF_URI(401, "invalid_dpop_proof"),
  /** The proof's {@code iat} is older than the maximum proof age, or further in the future than the clock skew. */
  DPOP_PROOF_TIME(401, "invalid_dpop_proof"),
  /** The proof's {@code jti} was already used within the proof window: a replayed proof. */
  DPOP_PROOF_REPLAY(401, "invalid_dpop_proof"),
  /** The proof's {@code ath} is missing or is not the hash of the presented access token. */
  DPOP_PROOF_TOKEN_HASH(401, "invalid_dpop_proof"),
  /** Server nonces are required and the proof has none, or a stale one; the answer carries a fresh {@code DPoP-Nonce}. */
  DPOP_NONCE_REQUIRED(401, "use_dpop_nonce"),
  /** The token's {@code cnf.jkt} is not the RFC 7638 thumbprint of the proof's key: a proof by another key. */
  DPOP_KEY_MISMATCH(401, "invalid_token"),
  /** The {@code DPoP} scheme was used with a token that has no {@code cnf.jkt} (it is not DPoP-bound). */
  DPOP_TOKEN_NOT_BOUND(401, "invalid_token"),
  /** A DPoP-bound token ({@code cnf.jkt}, or an introspection answer with {@code token_type: DPoP}) came under {@code Bearer}: the binding is not proven. */
  DPOP_TOKEN_AS_BEARER(401, "invalid_token"),
  /** DPoP is required here and the token came under the {@code Bearer} scheme. */
  DPOP_REQUIRED(401, "invalid_token"),
  /**
   * The endpoint demands a sender-constrained token ({@link SenderConstraint#DPOP_OR_MTLS}) and got a
   * plain bearer token: neither DPoP-bound with a proof nor certificate-bound (RFC 8705).
   */
  SENDER_CONSTRAINT_REQUIRED(401, "invalid_token"),
  /** The token's {@code cnf} has {@code x5t#S256} and the request's client certificate is absent or has another thumbprint. */
  CERTIFICATE_MISMATCH(401, "invalid_token"),
  /** The DPoP replay store could not answer, so replay protection cannot be enforced: the request is refused, never let through. */
  REPLAY_STORE_UNAVAILABLE(503, "temporarily_unavailable");

  private final int httpStatus;
  private final String errorCode;

  Reason(int httpStatus, String errorCode) {
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
  }

  /** The HTTP status a resource server answers with: 400, 401, 403 or 503. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The RFC 6750 / RFC 9449 {@code error} code, or {@code null} for {@link #MISSING_TOKEN}. */
  public String errorCode() {
    return errorCode;
  }
}
