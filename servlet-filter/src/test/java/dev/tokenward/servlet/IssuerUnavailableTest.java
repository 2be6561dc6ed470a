package dev.tokenward.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.FakeIssuer;
import dev.tokenward.servlet.JettyApp.Answer;
import java.time.Duration;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** 503 temporarily_unavailable with Retry-After when the issuer cannot be reached and nothing cached decides. */
class IssuerUnavailableTest {
  private final FakeIssuer issuer = new FakeIssuer();
  private JettyApp app;

  @AfterEach
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    issuer.close();
  }

  private void startWith(AccessTokenValidator validator) throws Exception {
    app = JettyApp.withFilter(BearerTokenFilter.builder(validator)
        .authenticated("/api/private")
        .rule(PathRule.authenticated("/api/online").withOnlineCheck())
        .build(), context -> { });
  }

  @Test
  void requestWhenJwksDownAndNoCachedKeysThen503WithRetryAfter() throws Exception {
    issuer.answer("/.well-known/jwks.json", new MockResponse().setResponseCode(500));
    startWith(AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
        .issuerRetryBackoff(Duration.ofSeconds(30)).build());

    Answer a = app.getWithToken("/api/private", issuer.jwt().sign());

    // issue 10 item 17: names the JWKS URL and what it answered
    String description = "the issuer's signing keys (JWKS) cannot be fetched: " + issuer.url("/.well-known/jwks.json")
        + " answered HTTP 500; retry later";
    assertThat(a.status()).isEqualTo(503);
    assertThat(a.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"tokenward\", error=\"temporarily_unavailable\", "
        + "error_description=\"" + description + "\"");
    assertThat(a.body()).isEqualTo("{\"error\":\"temporarily_unavailable\",\"error_description\":\"" + description + "\"}");
    assertThat(a.header("Retry-After")).isEqualTo("30");
    BearerTokenFilterTest.assertCommonErrorHeaders(a);
  }

  @Test
  void requestWhenOnlineCheckAndUserinfoDownThen503WithIssuersRetryAfter() throws Exception {
    issuer.answer("/userinfo", new MockResponse().setResponseCode(503).setHeader("Retry-After", "7"));
    startWith(AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE).build());
    String token = issuer.jwt().sign();

    assertThat(app.getWithToken("/api/private", token).status()).isEqualTo(200); // keys are fine
    Answer a = app.getWithToken("/api/online", token);

    assertThat(a.status()).isEqualTo(503);
    assertThat(a.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"tokenward\", error=\"temporarily_unavailable\", "
        + "error_description=\"the issuer's userinfo endpoint answered HTTP 503; retry later\"");
    assertThat(a.header("Retry-After")).isEqualTo("7");
    BearerTokenFilterTest.assertCommonErrorHeaders(a);
  }
}
