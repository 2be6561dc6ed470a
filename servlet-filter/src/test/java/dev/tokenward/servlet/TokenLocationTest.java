package dev.tokenward.servlet;

import static dev.tokenward.servlet.BearerTokenFilterTest.assertNoToken;
import static dev.tokenward.servlet.BearerTokenFilterTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.FakeIssuer;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The query and form-body token locations of RFC 6750 section 2, off by default. */
class TokenLocationTest {
  static final String TWO_PLACES = "the request carries a token in more than one place; RFC 6750 allows exactly one";
  static FakeIssuer issuer;
  static JettyApp enabled;
  static JettyApp disabled;

  @BeforeAll
  static void start() throws Exception {
    issuer = new FakeIssuer();
    AccessTokenValidator validator = AccessTokenValidator.builder()
        .issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE).build();
    enabled = JettyApp.withFilter(BearerTokenFilter.builder(validator)
        .allowQueryToken(true).allowFormToken(true).authenticated("/api/*").build(), context -> { });
    disabled = JettyApp.withFilter(BearerTokenFilter.builder(validator)
        .authenticated("/api/*").build(), context -> { });
  }

  @AfterAll
  static void stop() throws Exception {
    enabled.close();
    disabled.close();
    issuer.close();
  }

  @Test
  void requestWhenQueryEnabledAndTokenInQueryThen200() throws Exception {
    JettyApp.Answer a = enabled.get("/api/private?x=1&access_token=" + issuer.jwt().sign());
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).startsWith("path=/api/private principal=TokenPrincipal:auth0|user-1");
  }

  @Test
  void requestWhenQueryEnabledAndTokenInHeaderAndQueryThen400InvalidRequest() throws Exception {
    String token = issuer.jwt().sign();
    assertRefused(enabled.get("/api/private?access_token=" + token, "Authorization", "Bearer " + token), 400,
        "invalid_request", TWO_PLACES);
  }

  @Test
  void requestWhenQueryEnabledAndTwoQueryTokensThen400InvalidRequest() throws Exception {
    String token = issuer.jwt().sign();
    assertRefused(enabled.get("/api/private?access_token=" + token + "&access_token=" + token), 400,
        "invalid_request", TWO_PLACES);
  }

  @Test
  void requestWhenQueryEnabledAndQueryTokenEmptyThen400InvalidRequest() throws Exception {
    assertRefused(enabled.get("/api/private?access_token="), 400, "invalid_request",
        "empty token in the access_token query parameter");
  }

  @Test
  void requestWhenQueryNotEnabledThenQueryTokenIgnored() throws Exception {
    assertNoToken(disabled.get("/api/private?access_token=" + issuer.jwt().sign()));
  }

  @Test
  void requestWhenFormEnabledAndTokenInFormBodyThen200() throws Exception {
    JettyApp.Answer a = JettyApp.send(enabled.request("/api/private")
        .post(new FormBody.Builder().add("access_token", issuer.jwt().sign()).add("note", "hi").build()).build());
    assertThat(a.status()).isEqualTo(200);
  }

  @Test
  void requestWhenFormEnabledAndTokenInFormAndQueryThen400InvalidRequest() throws Exception {
    String token = issuer.jwt().sign();
    assertRefused(JettyApp.send(enabled.request("/api/private?access_token=" + token)
        .post(new FormBody.Builder().add("access_token", token).build()).build()), 400, "invalid_request", TWO_PLACES);
  }

  @Test
  void requestWhenFormEnabledAndTokenInFormAndHeaderThen400InvalidRequest() throws Exception {
    String token = issuer.jwt().sign();
    assertRefused(JettyApp.send(enabled.request("/api/private").header("Authorization", "Bearer " + token)
        .post(new FormBody.Builder().add("access_token", token).build()).build()), 400, "invalid_request", TWO_PLACES);
  }

  @Test
  void requestWhenFormEnabledButBodyIsJsonThenNotReadForToken() throws Exception {
    RequestBody json = RequestBody.create("{\"access_token\":\"x\"}", MediaType.get("application/json"));
    assertNoToken(JettyApp.send(enabled.request("/api/private").post(json).build()));
  }

  @Test
  void requestWhenFormNotEnabledThenFormTokenIgnored() throws Exception {
    assertNoToken(JettyApp.send(disabled.request("/api/private")
        .post(new FormBody.Builder().add("access_token", issuer.jwt().sign()).build()).build()));
  }
}
