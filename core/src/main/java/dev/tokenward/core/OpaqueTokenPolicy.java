package dev.tokenward.core;

/**
 * What to do with an access token that is not a JWS, such as the opaque token Auth0 issues when
 * the client omits the {@code audience} parameter, or a JWE. The safe default is {@link #REJECT}.
 */
public enum OpaqueTokenPolicy {
  /** Refuse it with {@link Reason#OPAQUE_REJECTED}. */
  REJECT,
  /** Call the issuer's userinfo endpoint with it (Auth0's way); a 2xx answer makes it valid. */
  USERINFO,
  /** Ask the issuer's RFC 7662 introspection endpoint, authenticated with the API's client credentials. */
  INTROSPECT
}
