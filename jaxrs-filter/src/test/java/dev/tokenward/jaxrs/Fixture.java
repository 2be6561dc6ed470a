package dev.tokenward.jaxrs;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.test.JwtBuilder;
import dev.tokenward.test.TestIssuer;
import java.util.List;
import java.util.function.UnaryOperator;

/** The test kit's issuer with one API, a validator trusting it, and a Jersey server protected by the feature. */
final class Fixture implements AutoCloseable {
  static final String AUDIENCE = "https://api.tokenward.test";

  final TestIssuer issuer = issuer();
  final AccessTokenValidator validator;
  final TestServer server;

  Fixture(UnaryOperator<TokenwardFeature.Builder> feature, Class<?>... resources) {
    this.validator = issuer.validator();
    this.server = TestServer.start(feature.apply(TokenwardFeature.builder(validator)).build(), resources);
  }

  /** Default feature settings. */
  Fixture(Class<?>... resources) {
    this(b -> b, resources);
  }

  /** A started issuer whose (first) API is {@link #AUDIENCE}; the caller closes it. */
  static TestIssuer issuer() {
    return TestIssuer.builder().api(AUDIENCE, "openid", "read:messages", "write:messages", "admin:all").build().start();
  }

  /**
   * A user's access token as Auth0 writes it with RFC 9068 typing: {@code sub auth0|user-1}, {@code azp client-1},
   * {@code aud [AUDIENCE, ISSUER/userinfo]} (so the issuer's userinfo knows it, for online checks), scopes
   * {@code openid read:messages}, permission {@code read:messages}.
   */
  static JwtBuilder jwt(TestIssuer issuer) {
    return issuer.jwt().subject("auth0|user-1").clientId("client-1").type("at+jwt")
        .audience(AUDIENCE, issuer.userinfoEndpoint()).scopes("openid", "read:messages").permissions("read:messages");
  }

  /** {@link #jwt(TestIssuer)} for this fixture's issuer. */
  JwtBuilder jwt() {
    return jwt(issuer);
  }

  /** A valid token for {@code sub} with exactly these scopes and permissions. */
  String token(String subject, String scope, List<String> permissions) {
    return jwt().subject(subject).claim("scope", scope).claim("permissions", permissions).sign();
  }

  /** The default token of {@link #jwt()}: scopes {@code openid read:messages}, permission {@code read:messages}. */
  String token() {
    return jwt().sign();
  }

  @Override
  public void close() throws Exception {
    server.close();
    validator.close();
    issuer.close();
  }
}
