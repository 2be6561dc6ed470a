package dev.tokenward.core;

/**
 * Why a request was refused. Callers switch on it; the constant names and their RFC 6750
 * mapping are stable API, so a dashboard or an alert can count them.
 *
 * <p>Each reason carries the HTTP status and RFC 6750 {@code error} code a resource server
 * answers with: token problems are {@code 401 invalid_token}, request problems {@code 400
 * invalid_request}, missing grants {@code 403 insufficient_scope}, and an issuer that cannot be
 * reached {@code 503 temporarily_unavailable}. A request without any bearer token is a 401 with
 * no error code, as RFC 6750 section 3.1 asks.
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
   * The token is sender-constrained: its {@code cnf} claim binds it to a DPoP key ({@code jkt}, RFC
   * 9449), a client certificate ({@code x5t#S256}, RFC 8705) or another confirmation method, and the
   * request did not prove that binding (it was presented as a plain bearer token).
   */
  BINDING_NOT_PROVEN(401, "invalid_token"),
  /** The issuer says the token is not active: introspection answered {@code active: false}, or userinfo refused it. */
  INACTIVE(401, "invalid_token"),
  /** A custom {@link ClaimCheck} refused the token. */
  CLAIM_CHECK_FAILED(401, "invalid_token"),
  /** The token is valid but lacks a scope or permission the resource requires. */
  INSUFFICIENT_SCOPE(403, "insufficient_scope"),
  /** The issuer's keys, discovery, userinfo or introspection endpoint could not be reached and nothing cached can decide. */
  ISSUER_UNAVAILABLE(503, "temporarily_unavailable");

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

  /** The RFC 6750 {@code error} code, or {@code null} for {@link #MISSING_TOKEN}. */
  public String errorCode() {
    return errorCode;
  }
}
