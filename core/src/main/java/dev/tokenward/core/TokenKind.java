package dev.tokenward.core;

/** How a token was verified: locally as a signed JWT, or online at the issuer as an opaque token. */
public enum TokenKind {
  /** A JWS-signed JWT verified with the issuer's key. */
  JWT,
  /** A token that is not a JWS, vouched for by the issuer's userinfo or introspection endpoint. */
  OPAQUE
}
