package dev.tokenward.jaxrs;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.FakeIssuer;
import java.util.List;
import java.util.function.UnaryOperator;

/** A FakeIssuer, a validator trusting it, and a Jersey server protected by the feature. */
final class Fixture implements AutoCloseable {
  final FakeIssuer issuer = new FakeIssuer();
  final AccessTokenValidator validator;
  final TestServer server;

  Fixture(UnaryOperator<TokenwardFeature.Builder> feature, Class<?>... resources) {
    this.validator = AccessTokenValidator.builder()
        .issuer(issuer.issuer())
        .audience(FakeIssuer.AUDIENCE)
        .build();
    this.server = TestServer.start(feature.apply(TokenwardFeature.builder(validator)).build(), resources);
  }

  /** Default feature settings. */
  Fixture(Class<?>... resources) {
    this(b -> b, resources);
  }

  /** A valid token for {@code sub} with exactly these scopes and permissions. */
  String token(String subject, String scope, List<String> permissions) {
    return issuer.jwt().claim("sub", subject).claim("scope", scope).claim("permissions", permissions).sign();
  }

  /** The FakeIssuer's default token: scopes {@code openid read:messages}, permission {@code read:messages}. */
  String token() {
    return issuer.jwt().sign();
  }

  @Override
  public void close() throws Exception {
    server.close();
    issuer.close();
  }
}
