package dev.tokenward.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWKSet;
import dev.tokenward.core.ValidatorTestSupport.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link AccessTokenValidator#health()}: what an operator's health and readiness checks see. */
class ValidatorHealthTest {
  private static final String JWKS = "/.well-known/jwks.json";
  private final FakeIssuer issuer = new FakeIssuer();
  private final MutableClock clock = new MutableClock();
  private AccessTokenValidator validator;

  @AfterEach
  void stop() throws Exception {
    if (validator != null) {
      validator.close();
    }
    issuer.close();
  }

  private AccessTokenValidator build() {
    validator = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .jwksUri(issuer.url(JWKS)).clock(clock).issuerRetryBackoff(Duration.ofSeconds(1)).build();
    return validator;
  }

  @Test
  void healthWhenKeysLoadedThenUpWithCountFetchTimeAndNextRefresh() throws Exception {
    build().validate(issuer.jwt().sign());
    IssuerHealth health = validator.health().get(0);
    assertThat(health.issuer()).isEqualTo(issuer.issuer());
    assertThat(health.status()).isEqualTo(IssuerHealth.Status.UP);
    assertThat(health.keys()).isEqualTo(2);
    assertThat(health.lastFetch()).contains(clock.instant());
    assertThat(health.nextRefresh()).contains(clock.instant().plus(Duration.ofMinutes(5)));
    assertThat(health.lastError()).isEmpty();
  }

  @Test
  void healthBeforeFirstTokenThenDownAndStartsTheFetchItself() throws Exception {
    // the JWKS answers only once the first probe has been read: a loopback fetch can otherwise finish
    // between health() starting it and reading the keys, and the probe would rightly say UP
    java.util.concurrent.CountDownLatch probed = new java.util.concurrent.CountDownLatch(1);
    issuer.answer(JWKS, request -> {
      try {
        probed.await(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return FakeIssuer.json(new com.nimbusds.jose.jwk.JWKSet(FakeIssuer.rsaKey(0).toPublicJWK()).toString());
    });
    build();
    assertThat(validator.health().get(0).status()).isEqualTo(IssuerHealth.Status.DOWN);
    probed.countDown();
    // a readiness probe alone brings the keys in: no token has to arrive first
    eventually(() -> validator.health().get(0).status() == IssuerHealth.Status.UP);
    assertThat(issuer.jwksHits()).isEqualTo(1);
  }

  @Test
  void healthWhenJwksFailsWithoutKeysThenDownNamingTheUrlAndRecoversWhenItAnswers() throws Exception {
    issuer.answer(JWKS, new MockResponse().setResponseCode(500));
    build();
    eventually(() -> validator.health().get(0).lastError().isPresent());
    IssuerHealth down = validator.health().get(0);
    assertThat(down.status()).isEqualTo(IssuerHealth.Status.DOWN);
    assertThat(down.keys()).isZero();
    assertThat(down.lastError().orElseThrow()).contains(issuer.url(JWKS)).contains("500");

    issuer.clearAnswer(JWKS);
    clock.advanceSeconds(2); // past the retry backoff
    eventually(() -> validator.health().get(0).status() == IssuerHealth.Status.UP);
    assertThat(validator.health().get(0).lastError()).isEmpty();
  }

  @Test
  void healthWhenRefreshFailsWithCachedKeysThenDegradedThenDownPastStaleness() throws Exception {
    build().validate(issuer.jwt().sign());
    issuer.answer(JWKS, new MockResponse().setResponseCode(503));
    clock.advanceSeconds(6 * 60); // the keys are due for a refresh, which fails
    validator.validate(issuer.jwt().claim("jti", "second").sign());
    eventually(() -> validator.health().get(0).status() == IssuerHealth.Status.DEGRADED);
    assertThat(validator.health().get(0).keys()).isEqualTo(2);
    assertThat(validator.health().get(0).lastError().orElseThrow()).contains(issuer.url(JWKS));

    clock.advanceSeconds(25 * 60 * 60); // past the 24 h default staleness limit
    assertThat(validator.health().get(0).status()).isEqualTo(IssuerHealth.Status.DOWN);
  }

  @Test
  void healthWhenDegradedAndTheJwksAnswersAgainThenUpWithoutWaitingForTheNextRefresh() throws Exception {
    build().validate(issuer.jwt().sign());
    issuer.answer(JWKS, new MockResponse().setResponseCode(503));
    clock.advanceSeconds(6 * 60);
    validator.validate(issuer.jwt().claim("jti", "second").sign()); // starts the refresh, which fails
    eventually(() -> validator.health().get(0).status() == IssuerHealth.Status.DEGRADED);

    issuer.clearAnswer(JWKS);
    clock.advanceSeconds(2); // past the retry backoff; the keys are not due for a refresh for 5 minutes
    eventually(() -> validator.health().get(0).status() == IssuerHealth.Status.UP);
    assertThat(validator.health().get(0).lastError()).isEmpty();
  }

  /** Polls a condition that a background fetch makes true; a generous bound against hangs, not a timing claim. */
  private static void eventually(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition not met within 20 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void healthWithStaticKeysThenUp() {
    validator = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .keys(new JWKSet(FakeIssuer.rsaKey(0).toPublicJWK())).build();
    IssuerHealth health = validator.health().get(0);
    assertThat(health.status()).isEqualTo(IssuerHealth.Status.UP);
    assertThat(health.keys()).isEqualTo(1);
    assertThat(health.lastFetch()).isEmpty();
  }
}
