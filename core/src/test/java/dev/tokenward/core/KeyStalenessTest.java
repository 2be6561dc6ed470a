package dev.tokenward.core;

import static dev.tokenward.core.ValidatorTestSupport.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.ValidatorTestSupport.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 items 8 and 14: how long cached keys may stand in for an issuer that fails, what a
 * closed validator does, and that one issuer's hanging fetches cannot delay another's. Each test
 * says what it showed on 77aec1e.
 */
class KeyStalenessTest {
  private static final String JWKS = "/.well-known/jwks.json";
  private final FakeIssuer issuer = new FakeIssuer();

  @AfterEach
  void stop() throws Exception {
    issuer.close();
  }

  private long exp(MutableClock clock, Duration from) {
    return clock.millis() / 1000 + from.toSeconds();
  }

  // Item 8. While the JWKS endpoint failed, cached keys were trusted with no limit: after 7 days of
  // HTTP 500 a token signed with a key the issuer may long have removed was still accepted (77aec1e).
  @Test
  void validateWhenJwksHasFailedLongerThanTheMaxStalenessThenIssuerUnavailable() throws Exception {
    MutableClock clock = new MutableClock();
    AccessTokenValidator validator = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .clock(clock).disableTokenCache().build();
    validator.validate(issuer.jwt().sign());
    issuer.answer(JWKS, new MockResponse().setResponseCode(500));

    clock.advanceSeconds(Duration.ofHours(23).toSeconds());
    String token = issuer.jwt().claim("exp", exp(clock, Duration.ofHours(1))).sign();
    assertThat(validator.validate(token).subject()).as("within the default 24 h").isEqualTo("auth0|user-1");

    clock.advanceSeconds(Duration.ofHours(1).toSeconds() + 1);
    String later = issuer.jwt().claim("exp", exp(clock, Duration.ofHours(1))).sign();
    TokenValidationException e = Forge.refusal(() -> validator.validate(later));
    assertThat(e.reason()).isEqualTo(Reason.ISSUER_UNAVAILABLE);
    assertThat(e.httpStatus()).isEqualTo(503);
    assertThat(e.retryAfter()).isPresent();
    assertThat(e.description()).contains("maximum staleness").contains("PT24H").contains("HTTP 500");

    clock.advanceSeconds(Duration.ofDays(6).toSeconds()); // the review's 7 days
    String week = issuer.jwt().claim("exp", exp(clock, Duration.ofHours(1))).sign();
    assertRefused(() -> validator.validate(week), Reason.ISSUER_UNAVAILABLE);

    issuer.clearAnswer(JWKS); // the issuer recovers: the next fetch after the backoff restores service
    clock.advanceSeconds(10);
    String recovered = issuer.jwt().claim("exp", exp(clock, Duration.ofHours(1))).sign();
    assertThat(validator.validate(recovered).subject()).isEqualTo("auth0|user-1");
  }

  // Item 8, cached tokens: a token verified before the outage is not answered from the token cache
  // once its key is too stale.
  @Test
  void validateWhenTokenIsCachedButItsKeysAreTooStaleThenIssuerUnavailable() throws Exception {
    MutableClock clock = new MutableClock();
    AccessTokenValidator validator = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .clock(clock).tokenCache(100, Duration.ofDays(30)).jwksMaxStaleness(Duration.ofHours(1)).build();
    String token = issuer.jwt().claim("exp", exp(clock, Duration.ofDays(2))).sign();
    validator.validate(token);
    issuer.answer(JWKS, new MockResponse().setResponseCode(500));
    clock.advanceSeconds(Duration.ofMinutes(59).toSeconds());
    assertThat(validator.validate(token).subject()).isEqualTo("auth0|user-1");
    clock.advanceSeconds(Duration.ofMinutes(2).toSeconds());
    assertRefused(() -> validator.validate(token), Reason.ISSUER_UNAVAILABLE).hasMessageContaining("PT1H");
  }

  // A validator left idle longer than the staleness limit refreshes on the next request rather than
  // refusing it: the limit is about a failing issuer, not about traffic.
  @Test
  void validateWhenIdleLongerThanTheMaxStalenessAndTheIssuerAnswersThenAccepted() throws Exception {
    MutableClock clock = new MutableClock();
    AccessTokenValidator validator = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .clock(clock).disableTokenCache().build();
    validator.validate(issuer.jwt().sign());
    clock.advanceSeconds(Duration.ofDays(3).toSeconds());
    assertThat(validator.validate(issuer.jwt().claim("exp", exp(clock, Duration.ofHours(1))).sign()).subject())
        .isEqualTo("auth0|user-1");
    assertThat(issuer.jwksHits()).isEqualTo(2);
  }

  @Test
  void jwksMaxStalenessWhenNotLongerThanTheRefreshIntervalThenBuildFailsNamingIt() {
    assertThatThrownBy(() -> AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .jwksMaxStaleness(Duration.ofMinutes(5)).build())
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("jwksMaxStaleness:")
        .hasMessageContaining("jwksRefreshInterval");
    assertThatThrownBy(() -> AccessTokenValidator.builder().jwksMaxStaleness(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("jwksMaxStaleness:");
  }

  // Item 8, close(): the fetch threads stopped, yet validation went on with whatever was cached, with
  // no refresh ever again (accepted on 77aec1e). A closed validator refuses to be used.
  @Test
  void validateAfterCloseThrowsIllegalStateException() throws Exception {
    AccessTokenValidator validator = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .build();
    String token = issuer.jwt().sign();
    validator.validate(token);
    validator.close();
    assertThatThrownBy(() -> validator.validate(token)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(() -> validator.validateOnline(token)).isInstanceOf(IllegalStateException.class);
    validator.close(); // idempotent
  }

  // Item 14, confirmed: all issuers shared one pool of 4 fetch threads. With twelve issuers whose
  // JWKS never answers (1 s call timeout), the fetch of a healthy issuer queued behind theirs for
  // about 3 s, longer than a request waits (2 x the call timeout): on 77aec1e its first token was
  // refused, and as UNKNOWN_KEY (an invalid token, 401) though its issuer answered at once. Each
  // issuer now fetches on its own, and a fetch that is still pending when the wait ends is a 503.
  @Test
  void validateWhenOtherIssuersHangThenAHealthyIssuersFetchIsNotDelayed() throws Exception {
    List<FakeIssuer> hanging = new ArrayList<>();
    ExecutorService callers = Executors.newFixedThreadPool(12);
    try {
      AccessTokenValidator.Builder b = AccessTokenValidator.builder().httpClient(new OkHttpClient.Builder()
          .connectTimeout(1, TimeUnit.SECONDS).readTimeout(1, TimeUnit.SECONDS).callTimeout(1, TimeUnit.SECONDS).build());
      for (int i = 0; i < 12; i++) {
        FakeIssuer h = new FakeIssuer();
        h.answer(JWKS, new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        hanging.add(h);
        b.issuer(TrustedIssuer.builder(h.issuer()).audience(FakeIssuer.AUDIENCE).jwksUri(h.url(JWKS)).build());
      }
      b.issuer(TrustedIssuer.builder(issuer.issuer()).audience(FakeIssuer.AUDIENCE).jwksUri(issuer.url(JWKS)).build());
      AccessTokenValidator validator = b.build();

      List<Future<?>> stuck = new ArrayList<>();
      for (FakeIssuer h : hanging) {
        String token = h.jwt().sign();
        stuck.add(callers.submit(() -> Forge.refusal(() -> validator.validate(token))));
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (hanging.stream().mapToInt(FakeIssuer::jwksHits).sum() < 4 && System.nanoTime() < deadline) {
        Thread.sleep(5); // until the shared pool (if any) is busy with the hanging fetches
      }

      assertThat(validator.validate(issuer.jwt().sign()).issuer()).isEqualTo(issuer.issuer());

      for (Future<?> f : stuck) {
        f.get(30, TimeUnit.SECONDS);
      }
      validator.close();
    } finally {
      callers.shutdownNow();
      for (FakeIssuer h : hanging) {
        h.close();
      }
    }
  }
}
