package dev.tokenward.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.BearerTokenExtractor;
import dev.tokenward.jaxrs.resources.PersonalResource;
import dev.tokenward.micrometer.TokenwardMetrics;
import dev.tokenward.test.TestIssuer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every answer of the feature as the {@code tokenward.validations} counters show it (issue #15
 * leftovers), case for case as servlet-filter's {@code RefusalMetricsTest}: a refusal the feature
 * makes before core sees the request is counted once under the reason it is answered with, and an
 * anonymous request served on an {@code @OptionalAuthentication} method is no refusal.
 */
class RefusalMetricsTest {
  private final TestIssuer issuer = Fixture.issuer();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AccessTokenValidator validator = issuer.validatorBuilder(Fixture.AUDIENCE)
      .listener(TokenwardMetrics.of(registry)).build();
  private final TestServer server = TestServer.start(TokenwardFeature.builder(validator)
      .tokenExtractor(BearerTokenExtractor.of(true, false)).build(), PersonalResource.class);

  @AfterEach
  void stop() throws Exception {
    server.close();
    validator.close();
    issuer.close();
  }

  private double refused(String reason) {
    return registry.get("tokenward.validations").tag("outcome", "refused").tag("reason", reason)
        .tag("issuer", "unknown").counter().count();
  }

  private double refusedInAll() {
    return registry.get("tokenward.validations").tag("outcome", "refused").counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }

  private double accepted() {
    return registry.get("tokenward.validations").tag("outcome", "accepted").counter().count();
  }

  // Failed before for the Basic header: counted MISSING_TOKEN, then served anonymously.
  @Test
  void optionalWhenAnonymousOrOtherSchemeThenServedAndNothingCounted() throws Exception {
    assertThat(server.get("personal/greeting").statusCode()).isEqualTo(200);
    assertThat(server.get("personal/greeting", "Authorization", "Basic dXNlcjpwYXNz").statusCode()).isEqualTo(200);

    assertThat(refusedInAll()).isZero();
    assertThat(accepted()).isZero();
  }

  @Test
  void protectedWhenOtherSchemeThenCountedAsMissingToken() throws Exception {
    assertThat(server.get("personal/scoped", "Authorization", "Basic dXNlcjpwYXNz").statusCode()).isEqualTo(401);

    assertThat(refused("MISSING_TOKEN")).isEqualTo(1.0);
    assertThat(refusedInAll()).isEqualTo(1.0);
  }

  // Failed before: both were answered 400 and never counted.
  @Test
  void requestWhenTokenInHeaderAndQueryThen400CountedOnceAsInvalidRequest() throws Exception {
    String token = Fixture.jwt(issuer).sign();

    assertThat(server.get("personal/scoped?access_token=" + token, "Authorization", "Bearer " + token).statusCode())
        .isEqualTo(400);
    assertThat(server.get("personal/greeting?access_token=" + token, "Authorization", "Basic dXNlcjpwYXNz")
        .statusCode()).isEqualTo(400);

    assertThat(refused("INVALID_REQUEST")).isEqualTo(2.0);
    assertThat(refusedInAll()).isEqualTo(2.0);
    assertThat(accepted()).isZero();
  }

  @Test
  void optionalWhenValidTokenThenCountedAccepted() throws Exception {
    assertThat(server.getWithToken("personal/greeting", Fixture.jwt(issuer).sign()).statusCode()).isEqualTo(200);

    assertThat(accepted()).isEqualTo(1.0);
    assertThat(refusedInAll()).isZero();
  }
}
