package dev.tokenward.servlet;

import static dev.tokenward.servlet.Issuers.jwt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.micrometer.TokenwardMetrics;
import dev.tokenward.test.TestIssuer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every answer of the filter as the {@code tokenward.validations} counters show it (issue #15
 * leftovers), case for case as jaxrs-filter's {@code RefusalMetricsTest}: a refusal the filter makes
 * before core sees the request is counted once under the reason it is answered with, and an anonymous
 * request served on an optional path is no refusal.
 */
class RefusalMetricsTest {
  private final TestIssuer issuer = Issuers.start();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AccessTokenValidator validator = AccessTokenValidator.builder().issuer(issuer.issuer())
      .audience(Issuers.AUDIENCE).listener(TokenwardMetrics.of(registry)).build();
  private final JettyApp app;

  RefusalMetricsTest() throws Exception {
    app = JettyApp.withFilter(BearerTokenFilter.builder(validator).allowQueryToken(true)
        .optional("/personal/greeting").authenticated("/api/private").build(), context -> { });
  }

  @AfterEach
  void stop() throws Exception {
    app.close();
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

  @Test
  void optionalWhenAnonymousOrOtherSchemeThenServedAndNothingCounted() throws Exception {
    assertThat(app.get("/personal/greeting").status()).isEqualTo(200);
    assertThat(app.get("/personal/greeting", "Authorization", "Basic dXNlcjpwYXNz").status()).isEqualTo(200);

    assertThat(refusedInAll()).isZero();
    assertThat(accepted()).isZero();
  }

  @Test
  void protectedWhenOtherSchemeThenCountedAsMissingToken() throws Exception {
    assertThat(app.get("/api/private", "Authorization", "Basic dXNlcjpwYXNz").status()).isEqualTo(401);

    assertThat(refused("MISSING_TOKEN")).isEqualTo(1.0);
    assertThat(refusedInAll()).isEqualTo(1.0);
  }

  @Test
  void requestWhenTokenInHeaderAndQueryThen400CountedOnceAsInvalidRequest() throws Exception {
    String token = jwt(issuer).sign();

    assertThat(app.get("/api/private?access_token=" + token, "Authorization", "Bearer " + token).status())
        .isEqualTo(400);
    assertThat(app.get("/personal/greeting?access_token=" + token, "Authorization", "Basic dXNlcjpwYXNz").status())
        .isEqualTo(400);

    assertThat(refused("INVALID_REQUEST")).isEqualTo(2.0);
    assertThat(refusedInAll()).isEqualTo(2.0);
    assertThat(accepted()).isZero();
  }

  @Test
  void optionalWhenValidTokenThenCountedAccepted() throws Exception {
    assertThat(app.getWithToken("/personal/greeting", jwt(issuer).sign()).status()).isEqualTo(200);

    assertThat(accepted()).isEqualTo(1.0);
    assertThat(refusedInAll()).isZero();
  }
}
