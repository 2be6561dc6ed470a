package dev.tokenward.servlet;

import dev.tokenward.test.JwtBuilder;
import dev.tokenward.test.TestIssuer;

/** The test kit's issuer as these tests use it: one API, and the user token most tests send. */
final class Issuers {
  static final String AUDIENCE = "https://api.tokenward.test";

  private Issuers() {}

  /** A started issuer whose (first) API is {@link #AUDIENCE}; {@code issuer.validator()} trusts it. */
  static TestIssuer start() {
    return TestIssuer.builder().api(AUDIENCE, "openid", "read:messages", "write:messages", "admin:all").build().start();
  }

  /**
   * A user's access token as Auth0 writes it with RFC 9068 typing: {@code sub auth0|user-1}, {@code azp client-1},
   * {@code aud [AUDIENCE, ISSUER/userinfo]}, scopes {@code openid read:messages}, permission {@code read:messages}.
   */
  static JwtBuilder jwt(TestIssuer issuer) {
    return issuer.jwt().subject("auth0|user-1").clientId("client-1").type("at+jwt")
        .audience(AUDIENCE, issuer.userinfoEndpoint()).scopes("openid", "read:messages").permissions("read:messages");
  }
}
