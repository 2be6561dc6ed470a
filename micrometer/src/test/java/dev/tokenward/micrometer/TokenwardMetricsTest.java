package dev.tokenward.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.Reason;
import dev.tokenward.core.TokenRequest;
import dev.tokenward.core.TokenValidationException;
import dev.tokenward.test.TestIssuer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TokenwardMetricsTest {
  private final TestIssuer issuer = TestIssuer.defaults().start();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AccessTokenValidator validator = issuer.validatorBuilder()
      .listener(TokenwardMetrics.of(registry)).build();

  @AfterEach
  void stop() {
    validator.close();
    issuer.close();
  }

  private double validations(String outcome, String reason, String iss) {
    return registry.get("tokenward.validations").tag("outcome", outcome).tag("reason", reason).tag("issuer", iss)
        .counter().count();
  }

  @Test
  void validateWhenAcceptedTwiceThenAcceptedCountedTimedOneFetchOneMissOneHit() throws Exception {
    String token = issuer.jwt().sign();

    validator.validate(token);
    validator.validate(token);

    assertThat(validations("accepted", "none", issuer.issuer())).isEqualTo(2.0);
    assertThat(registry.get("tokenward.validation").tag("outcome", "accepted").timer().count()).isEqualTo(2);
    assertThat(registry.get("tokenward.validation").tag("outcome", "refused").timer().count()).isZero();
    assertThat(registry.get("tokenward.jwks.fetches").tag("outcome", "success").tag("issuer", issuer.issuer())
        .counter().count()).isEqualTo(1.0);
    assertThat(registry.get("tokenward.token.cache.gets").tag("result", "miss").counter().count()).isEqualTo(1.0);
    assertThat(registry.get("tokenward.token.cache.gets").tag("result", "hit").counter().count()).isEqualTo(1.0);
  }

  @Test
  void validateWhenRefusedThenCountedByReasonAndTimedAsRefused() throws Exception {
    validator.validate(issuer.jwt().sign());

    assertThatThrownBy(() -> validator.validate(issuer.jwt().audience("https://other.api").sign()))
        .isInstanceOf(TokenValidationException.class);
    assertThatThrownBy(() -> validator.validate(issuer.jwt().expired().sign()))
        .isInstanceOf(TokenValidationException.class);
    assertThatThrownBy(() -> validator.validate(issuer.jwt().audience("https://other.api").sign()))
        .isInstanceOf(TokenValidationException.class);

    assertThat(validations("refused", "WRONG_AUDIENCE", issuer.issuer())).isEqualTo(2.0);
    assertThat(validations("refused", "EXPIRED", issuer.issuer())).isEqualTo(1.0);
    assertThat(validations("refused", "BAD_SIGNATURE", issuer.issuer())).isZero();
    assertThat(validations("refused", "WRONG_AUDIENCE", "unknown")).as("the issuer is known: not 'unknown'").isZero();
    assertThat(validations("accepted", "none", issuer.issuer())).isEqualTo(1.0);
    assertThat(registry.get("tokenward.validation").tag("outcome", "refused").timer().count()).isEqualTo(3);
  }

  @Test
  void bindWhenCreatedThenEveryReasonHasARefusalCounterAtZeroForUnknownAndTheConfiguredIssuer() {
    for (Reason reason : Reason.values()) {
      assertThat(validations("refused", reason.name(), "unknown")).as(reason.name()).isZero();
      assertThat(validations("refused", reason.name(), issuer.issuer())).as(reason.name()).isZero();
    }
    assertThat(validations("accepted", "none", issuer.issuer())).isZero();
  }

  @Test
  void refusalWhenTokenNamesAnUnconfiguredIssuerThenTaggedUnknownNeverItsIss() {
    String foreign = issuer.jwt().issuer("https://attacker.example/").sign();

    assertThatThrownBy(() -> validator.validate(foreign)).isInstanceOf(TokenValidationException.class);

    assertThat(validations("refused", "WRONG_ISSUER", "unknown")).isEqualTo(1.0);
    assertThat(registry.getMeters()).noneMatch(m -> m.getId().getTags().stream()
        .anyMatch(t -> t.getValue().contains("attacker")));
  }

  @Test
  void requestWhenNoCredentialsOrMalformedHeaderThenCountedAsRefusedUnknown() {
    TokenRequest none = TokenRequest.builder("GET", "https://api.example/orders").build();
    TokenRequest twoHeaders = TokenRequest.builder("GET", "https://api.example/orders")
        .authorization(List.of("Bearer a", "Bearer b")).build();

    assertThatThrownBy(() -> validator.validate(none)).isInstanceOf(TokenValidationException.class);
    assertThatThrownBy(() -> validator.validate(none)).isInstanceOf(TokenValidationException.class);
    assertThatThrownBy(() -> validator.validate(twoHeaders)).isInstanceOf(TokenValidationException.class);

    assertThat(validations("refused", "MISSING_TOKEN", "unknown")).isEqualTo(2.0);
    assertThat(validations("refused", "INVALID_REQUEST", "unknown")).isEqualTo(1.0);
  }

  @Test
  void validateWhenKidUnknownTwiceThenUnknownKidCountedAndTheSecondRefetchRateLimited() throws Exception {
    validator.validate(issuer.jwt().sign());

    for (int i = 0; i < 2; i++) {
      String unknown = issuer.jwt().keyId("not-published-" + i).sign();
      assertThatThrownBy(() -> validator.validate(unknown)).isInstanceOfSatisfying(TokenValidationException.class,
          e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY));
    }

    assertThat(registry.get("tokenward.jwks.unknown.kid").tag("issuer", issuer.issuer()).counter().count())
        .isEqualTo(2.0);
    assertThat(fetches("success")).isEqualTo(2.0);
    assertThat(fetches("rate_limited")).isEqualTo(1.0);
    assertThat(validations("refused", "UNKNOWN_KEY", issuer.issuer())).isEqualTo(2.0);
  }

  @Test
  void gaugesWhenKeysLoadedThenKeyCountAgeAndUp() throws Exception {
    validator.validate(issuer.jwt().sign());

    assertThat(gauge("tokenward.jwks.keys")).isEqualTo(issuer.publicKeys().getKeys().size());
    assertThat(gauge("tokenward.jwks.last.fetch.age")).isBetween(0.0, 60.0);
    assertThat(gauge("tokenward.issuer.status")).isEqualTo(2.0);
  }

  @Test
  void gaugesWhenTheJwksIsDownFromTheStartThenNoKeysStatusDownAgeUnknown() {
    issuer.takeDown(dev.tokenward.test.IssuerEndpoint.JWKS);
    assertThatThrownBy(() -> validator.validate(issuer.jwt().sign())).isInstanceOf(TokenValidationException.class);

    assertThat(gauge("tokenward.jwks.keys")).isZero();
    assertThat(gauge("tokenward.issuer.status")).isZero();
    assertThat(gauge("tokenward.jwks.last.fetch.age")).isNaN();
  }

  private double fetches(String outcome) {
    return registry.get("tokenward.jwks.fetches").tag("outcome", outcome).tag("issuer", issuer.issuer())
        .counter().count();
  }

  private double gauge(String name) {
    return registry.get(name).tag("issuer", issuer.issuer()).gauge().value();
  }

  @Test
  void validateWhenJwksDownThenFailedFetchAndIssuerUnavailableCounted() {
    issuer.takeDown(dev.tokenward.test.IssuerEndpoint.JWKS);

    assertThatThrownBy(() -> validator.validate(issuer.jwt().sign()))
        .isInstanceOfSatisfying(TokenValidationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.ISSUER_UNAVAILABLE));

    assertThat(registry.get("tokenward.jwks.fetches").tag("outcome", "failure").tag("issuer", issuer.issuer())
        .counter().count()).isEqualTo(1.0);
    assertThat(validations("refused", "ISSUER_UNAVAILABLE", issuer.issuer())).isEqualTo(1.0);
  }

  @Test
  void tagsWhenTokensCarrySubjectsAndClaimsThenNoTagValueComesFromAToken() throws Exception {
    String accepted = issuer.jwt().subject("auth0|secret-subject").claim("team", "claim-value-x").sign();
    String refused = issuer.jwt().subject("auth0|other-subject").audience("https://claimed.api").sign();
    validator.validate(accepted);
    assertThatThrownBy(() -> validator.validate(refused)).isInstanceOf(TokenValidationException.class);
    assertThatThrownBy(() -> validator.validate("opaque-" + "x".repeat(20))).isInstanceOf(TokenValidationException.class);

    List<String> values = new ArrayList<>();
    for (Meter meter : registry.getMeters()) {
      for (Tag tag : meter.getId().getTags()) {
        values.add(tag.getValue());
      }
    }
    List<String> allowed = new ArrayList<>(List.of("accepted", "refused", "none", "unknown", "success", "failure",
        "hit", "miss", "error", "userinfo", "introspection", "rate_limited", issuer.issuer()));
    for (Reason reason : Reason.values()) {
      allowed.add(reason.name());
    }
    assertThat(values).isNotEmpty().allSatisfy(v -> assertThat(allowed).contains(v));
    assertThat(String.join(" ", values)).doesNotContain("secret-subject", "other-subject", "claim-value-x",
        "claimed.api", accepted, refused, "opaque-");
  }

  // Issue #15 leftovers: an anonymous request served on an optional endpoint is no refusal, a token there still counts.
  @Test
  void validateIfPresentWhenNoCredentialsOrOtherSchemeThenNothingCountedAndATokenCountedAsByValidate() throws Exception {
    TokenRequest none = TokenRequest.builder("GET", "https://api.example/personal").build();
    TokenRequest basic = TokenRequest.builder("GET", "https://api.example/personal").authorization("Basic dXNlcjpwYXNz")
        .build();

    assertThat(validator.validateIfPresent(none)).isEmpty();
    assertThat(validator.validateIfPresent(basic)).isEmpty();
    assertThat(validator.validateIfPresent(TokenRequest.builder("GET", "https://api.example/personal")
        .authorization("Bearer " + issuer.jwt().sign()).build())).isPresent();
    assertThatThrownBy(() -> validator.validateIfPresent(TokenRequest.builder("GET", "https://api.example/personal")
        .authorization("Bearer " + issuer.jwt().expired().sign()).build()))
        .isInstanceOf(TokenValidationException.class);

    assertThat(validations("refused", "MISSING_TOKEN", "unknown")).isZero();
    assertThat(validations("accepted", "none", issuer.issuer())).isEqualTo(1.0);
    assertThat(validations("refused", "EXPIRED", issuer.issuer())).isEqualTo(1.0);
    assertThat(registry.get("tokenward.validation").tag("outcome", "refused").timer().count()).isEqualTo(1);
  }

  @Test
  void refusedBeforeValidationWhenReportedThenCountedOnceUnderItsReasonForTheUnknownIssuer() {
    TokenValidationException failure = new TokenValidationException(Reason.INVALID_REQUEST,
        "the request carries credentials in the Authorization header and a token in a parameter; send exactly one");

    assertThat(validator.refusedBeforeValidation(failure)).isSameAs(failure);

    assertThat(validations("refused", "INVALID_REQUEST", "unknown")).isEqualTo(1.0);
    assertThat(validations("refused", "INVALID_REQUEST", issuer.issuer())).isZero();
    assertThat(registry.get("tokenward.validation").tag("outcome", "refused").timer().count()).isEqualTo(1);
  }
}
