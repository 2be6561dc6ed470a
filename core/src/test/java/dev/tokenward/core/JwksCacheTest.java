package dev.tokenward.core;

import static dev.tokenward.core.ValidatorTestSupport.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.ValidatorTestSupport.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JwksCacheTest {
  private final FakeIssuer issuer = new FakeIssuer();
  private final MutableClock clock = new MutableClock();
  private final AccessTokenValidator validator = AccessTokenValidator.builder()
      .issuer(issuer.issuer())
      .audience(FakeIssuer.AUDIENCE)
      .clock(clock)
      .build();

  @AfterEach
  void stop() throws Exception {
    issuer.close();
  }

  @Test
  void buildWhenIssuerDownThenNoErrorAndNoRequest() throws Exception {
    issuer.close();
    AccessTokenValidator v = AccessTokenValidator.builder().issuer(issuer.issuer()).audience("a").build();
    assertThat(v.issuers()).hasSize(1);
  }

  // The first token of a new validator waits for the keys anyway: fetching them on a pool thread only
  // added a thread start and a hand-off to its cold start (issue #6's note). Background refreshes stay off
  // the request thread.
  @Test
  void validateWhenFirstTokenThenKeysFetchedInTheCallingThread() throws Exception {
    List<String> fetchedBy = new java.util.concurrent.CopyOnWriteArrayList<>();
    okhttp3.OkHttpClient client = new okhttp3.OkHttpClient.Builder()
        .addInterceptor(chain -> {
          fetchedBy.add(Thread.currentThread().getName());
          return chain.proceed(chain.request());
        })
        .build();
    AccessTokenValidator v = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .jwksUri(issuer.issuer() + ".well-known/jwks.json").httpClient(client).clock(clock).build();

    v.validate(issuer.jwt().sign());

    assertThat(fetchedBy).containsExactly(Thread.currentThread().getName());
    v.close();
  }

  @Test
  void validateWhenKidUnknownThenRefetchesOnce() throws Exception {
    validator.validate(issuer.jwt().sign());
    issuer.publish(FakeIssuer.rsaKey(0), FakeIssuer.rsaKey(1));

    VerifiedToken rotated = validator.validate(issuer.jwt().signWith(FakeIssuer.rsaKey(1)).sign());

    assertThat(rotated.keyId()).contains("rsa-2");
    assertThat(issuer.jwksHits()).isEqualTo(2);
  }

  @Test
  void validateWhenUnknownKidsWithinCooldownThenNoFurtherFetch() throws Exception {
    validator.validate(issuer.jwt().sign());
    String stranger = issuer.jwt().signWith(FakeIssuer.rsaKey(2)).sign();

    assertRefused(() -> validator.validate(stranger), Reason.UNKNOWN_KEY);
    assertRefused(() -> validator.validate(issuer.jwt().signWith(FakeIssuer.rsaKey(2)).header("kid", "x").sign()),
        Reason.UNKNOWN_KEY);
    assertThat(issuer.jwksHits()).isEqualTo(2); // initial + one refetch

    clock.advanceSeconds(31);
    assertRefused(() -> validator.validate(stranger), Reason.UNKNOWN_KEY);
    assertThat(issuer.jwksHits()).isEqualTo(3);
  }

  @Test
  void validateWhenManyThreadsMissThenOneFetch() throws Exception {
    issuer.answer("/.well-known/jwks.json", r -> {
      sleep(300); // keep the fetch in flight while the others arrive
      return FakeIssuer.json(new com.nimbusds.jose.jwk.JWKSet(FakeIssuer.rsaKey(0).toPublicJWK()).toString());
    });
    String token = issuer.jwt().sign();
    ExecutorService pool = Executors.newFixedThreadPool(32);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<VerifiedToken>> results = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      String t = issuer.jwt().claim("sub", "user-" + i).sign();
      results.add(pool.submit(() -> {
        start.await();
        return validator.validate(t);
      }));
    }
    start.countDown();
    for (int i = 0; i < results.size(); i++) {
      assertThat(results.get(i).get(10, TimeUnit.SECONDS).subject()).isEqualTo("user-" + i);
    }
    pool.shutdown();
    assertThat(issuer.jwksHits()).isEqualTo(1);
    assertThat(validator.validate(token).subject()).isEqualTo("auth0|user-1");
  }

  @Test
  void validateWhenJwksDownThenCachedKeysKeepWorking() throws Exception {
    validator.validate(issuer.jwt().sign());
    issuer.answer("/.well-known/jwks.json", new MockResponse().setResponseCode(500));
    clock.advanceSeconds(600); // refresh due: the background refresh fails

    assertThat(validator.validate(issuer.jwt().claim("sub", "a").sign()).subject()).isEqualTo("a");
    awaitJwksHits(2);
    assertThat(validator.validate(issuer.jwt().claim("sub", "b").sign()).subject()).isEqualTo("b");
  }

  @Test
  void validateWhenJwksDownAndKidUnknownThenIssuerUnavailableNot401() throws Exception {
    validator.validate(issuer.jwt().sign());
    issuer.answer("/.well-known/jwks.json", new MockResponse().setResponseCode(503));
    clock.advanceSeconds(31);

    TokenValidationException e = (TokenValidationException) org.assertj.core.api.Assertions.catchThrowable(
        () -> validator.validate(issuer.jwt().signWith(FakeIssuer.rsaKey(1)).sign()));
    assertThat(e.reason()).isEqualTo(Reason.ISSUER_UNAVAILABLE);
    assertThat(e.httpStatus()).isEqualTo(503);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(5));
  }

  @Test
  void validateWhenIssuerDownAtStartThenUnavailableThenServesAfterBackoff() throws Exception {
    issuer.answer("/.well-known/openid-configuration", new MockResponse().setResponseCode(502));
    String token = issuer.jwt().sign();
    assertRefused(() -> validator.validate(token), Reason.ISSUER_UNAVAILABLE);
    assertRefused(() -> validator.validate(token), Reason.ISSUER_UNAVAILABLE);
    assertThat(issuer.hits("/.well-known/openid-configuration")).isEqualTo(1); // backoff: no hammering

    issuer.clearAnswer("/.well-known/openid-configuration");
    clock.advanceSeconds(6);
    assertThat(validator.validate(token).subject()).isEqualTo("auth0|user-1");
  }

  @Test
  void validateWhenKeysOlderThanRefreshIntervalThenRefreshesInBackground() throws Exception {
    validator.validate(issuer.jwt().sign());
    clock.advanceSeconds(301);
    validator.validate(issuer.jwt().claim("sub", "x").sign());
    awaitJwksHits(2);
  }

  @Test
  void cachedTokenWhenItsKeyLeavesJwksThenVerifiedAgainAndRefused() throws Exception {
    String token = issuer.jwt().sign();
    validator.validate(token);
    issuer.publish(FakeIssuer.rsaKey(1));
    clock.advanceSeconds(301);
    validator.validate(issuer.jwt().signWith(FakeIssuer.rsaKey(1)).sign()); // triggers the refresh
    awaitJwksHits(2);
    clock.advanceSeconds(31);

    assertRefused(() -> validator.validate(token), Reason.UNKNOWN_KEY);
  }

  @Test
  void cachedTokenWhenExpiredSinceThenExpired() throws Exception {
    long now = clock.millis() / 1000;
    String token = issuer.jwt().claim("exp", now + 10).sign();
    validator.validate(token);
    clock.advanceSeconds(10 + 60);
    assertRefused(() -> validator.validate(token), Reason.EXPIRED);
  }

  @Test
  void validateWhenJwksOversizedThenUnavailable() throws Exception {
    issuer.answer("/.well-known/jwks.json", FakeIssuer.json("{\"keys\":[],\"pad\":\"" + "x".repeat(600_000) + "\"}"));
    assertRefused(() -> validator.validate(issuer.jwt().sign()), Reason.ISSUER_UNAVAILABLE);
  }

  @Test
  void validateWhenJwksHoldsOnlyWeakRsaKeyThenUnavailable() throws Exception {
    issuer.publish(new com.nimbusds.jose.jwk.gen.RSAKeyGenerator(1024, true).keyID("weak").generate());
    assertRefused(() -> validator.validate(issuer.jwt().header("kid", "weak").sign()), Reason.ISSUER_UNAVAILABLE);
  }

  @Test
  void validateWhenJwksHasOneMalformedKeyThenTheOthersStillWork() throws Exception {
    issuer.answer("/.well-known/jwks.json", FakeIssuer.json("{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":\"bad\","
        + "\"x\":\"AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE\",\"y\":\"AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI\"},"
        + FakeIssuer.rsaKey(0).toPublicJWK().toJSONString() + "]}"));
    assertThat(validator.validate(issuer.jwt().sign()).keyId()).contains("rsa-1");
  }

  @Test
  void closeWhenKeysCachedThenCachedKeysStillValidateAndNothingIsFetched() throws Exception {
    validator.validate(issuer.jwt().sign());
    validator.close();
    clock.advanceSeconds(600);
    assertThat(validator.validate(issuer.jwt().claim("sub", "after-close").sign()).subject()).isEqualTo("after-close");
    Thread.sleep(100);
    assertThat(issuer.jwksHits()).isEqualTo(1);
  }

  private void awaitJwksHits(int n) throws InterruptedException {
    for (int i = 0; i < 1000 && issuer.jwksHits() < n; i++) { // up to 10 s: a loaded 2-core machine needed more than 2
      Thread.sleep(10);
    }
    assertThat(issuer.jwksHits()).isEqualTo(n);
    Thread.sleep(50); // let the fetch publish its result
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
