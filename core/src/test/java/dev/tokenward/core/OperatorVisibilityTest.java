package dev.tokenward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What operators see: the start-up line, the eager key fetch, and warnings for refusals that repeat. */
class OperatorVisibilityTest {
  private final FakeIssuer issuer = new FakeIssuer();
  private final ValidatorTestSupport.MutableClock clock = new ValidatorTestSupport.MutableClock();

  @AfterEach
  void close() throws Exception {
    issuer.close();
  }

  @Test
  void describeWhenBuiltThenNamesIssuerAudiencesAlgorithmsPolicyAndKeySourceButNoSecret() {
    String secret = "0123456789abcdef0123456789abcdef-very-secret";
    try (AccessTokenValidator v = AccessTokenValidator.builder().issuer("https://tenant.auth0.com/")
        .audience("https://api.example.com").algorithms("RS256", "HS256")
        .hmacSecret(secret.getBytes(StandardCharsets.UTF_8)).opaqueTokens(OpaqueTokenPolicy.USERINFO).build()) {
      assertThat(v.describe()).isEqualTo("tokenward validator accepts tokens of issuer https://tenant.auth0.com/ "
          + "audiences [https://api.example.com] algorithms " + v.issuers().get(0).algorithms() + " opaque tokens "
          + "userinfo keys from the JWKS named by discovery and a shared secret for [HS256]")
          .doesNotContain(secret);
    }
    try (AccessTokenValidator v = AccessTokenValidator.builder().issuer(issuer.issuer()).audience("a")
        .jwksUri(issuer.url("/.well-known/jwks.json")).build()) {
      assertThat(v.describe()).endsWith("opaque tokens reject keys from JWKS " + issuer.url("/.well-known/jwks.json"));
    }
  }

  @Test
  void warmUpWhenIssuerAnswersThenKeysAreLoadedBeforeTheFirstToken() throws Exception {
    try (AccessTokenValidator v = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .warmUp(Duration.ofSeconds(10)).build()) {
      assertThat(issuer.jwksHits()).isEqualTo(1);
      assertThat(v.warmUp(Duration.ofSeconds(10))).isTrue();
      v.validate(issuer.jwt().sign());
      assertThat(issuer.jwksHits()).isEqualTo(1);
    }
  }

  @Test
  void warmUpWhenIssuerUnreachableThenFalseOrFailFastRefusesToBuild() {
    issuer.answer("/.well-known/jwks.json", new okhttp3.mockwebserver.MockResponse().setResponseCode(500));
    try (AccessTokenValidator v = AccessTokenValidator.builder().issuer(issuer.issuer()).audience("a")
        .warmUp(Duration.ofSeconds(10)).build()) {
      assertThat(v.warmUp(Duration.ofSeconds(1))).isFalse();
    }
    assertThatThrownBy(() -> AccessTokenValidator.builder().issuer(issuer.issuer()).audience("a")
        .warmUp(Duration.ofSeconds(10)).warmUpFailFast(true).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("warmUpFailFast: the keys of " + issuer.issuer() + " could not be fetched within 10000 ms");
  }

  @Test
  void warmUpWhenConfiguredByEnvironmentThenFailFastIsAConfigurationError() {
    issuer.answer("/.well-known/jwks.json", new okhttp3.mockwebserver.MockResponse().setResponseCode(500));
    TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", issuer.issuer(),
        "TOKENWARD_AUDIENCE", "a", "TOKENWARD_WARM_UP_SECONDS", "5", "TOKENWARD_WARM_UP_FAIL_FAST", "true"));
    assertThatThrownBy(config::validator).isInstanceOf(ConfigurationException.class)
        .hasMessage("TOKENWARD_WARM_UP_FAIL_FAST: the keys of " + issuer.issuer() + " could not be fetched within 5000 ms");
  }

  @Test
  void refusedWhenSameWrongAudienceRepeatsThenOneRateLimitedWarningNamingCheckAndValuesNotTheToken() throws Exception {
    List<String> warnings = new CopyOnWriteArrayList<>();
    try (AccessTokenValidator v = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .clock(clock).build()) {
      v.refusals().sink(warnings::add);
      String token = issuer.jwt().claim("aud", "https://api.typo.test").sign();
      refuse(v, token, 2);
      assertThat(warnings).as("two refusals can be one bad client").isEmpty();
      refuse(v, token, 1);
      assertThat(warnings).singleElement().asString()
          .startsWith("3 tokens refused by the audience check with the same values: token 'aud' 'https://api.typo.test' "
              + "does not contain this API's identifier, one of [" + FakeIssuer.AUDIENCE + "]")
          .contains("misconfiguration").doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
      refuse(v, token, 10);
      assertThat(warnings).as("at most one a minute per check").hasSize(1);
      clock.advanceSeconds(61);
      refuse(v, issuer.jwt().claim("aud", "https://api.typo.test").sign(), 1);
      assertThat(warnings).hasSize(2);
      assertThat(warnings.get(1)).startsWith("11 tokens refused by the audience check");
    }
  }

  @Test
  void refusedWhenDifferentReasonsThenOnlyMisconfigurationSignsAreWarned() {
    List<String> warnings = new CopyOnWriteArrayList<>();
    RefusalLog log = new RefusalLog(clock, warnings::add);
    for (int i = 0; i < 5; i++) {
      log.refused(new TokenValidationException(Reason.EXPIRED, "token expired at ..."));
      log.refused(new TokenValidationException(Reason.BAD_SIGNATURE, "signature"));
      log.refused(new TokenValidationException(Reason.WRONG_AUDIENCE, "token 'aud' 'x" + i + "' ..."));
    }
    assertThat(warnings).as("expired tokens and forgeries are clients' business; varying audiences are not one "
        + "misconfiguration").isEmpty();
    for (int i = 0; i < 3; i++) {
      log.refused(new TokenValidationException(Reason.WRONG_ISSUER, "token 'iss' 'https://old-tenant/' is not trusted"));
      log.refused(new TokenValidationException(Reason.OPAQUE_REJECTED, "the token is not a JWT (1 segment) ..."));
    }
    assertThat(warnings).hasSize(2);
    assertThat(warnings.get(0)).startsWith("3 tokens refused by the issuer check");
    assertThat(warnings.get(1)).startsWith("3 tokens refused by the opaque-token check");
  }

  private static void refuse(AccessTokenValidator v, String token, int times) {
    for (int i = 0; i < times; i++) {
      assertThatThrownBy(() -> v.validate(token)).isInstanceOf(TokenValidationException.class);
    }
  }
}
