package dev.tokenward.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.RequiresScopes;
import dev.tokenward.jaxrs.resources.PersonalResource;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Optional authentication for public endpoints that personalise, and the verified token injected
 * portably ({@code @BeanParam TokenParam}) as a parameter and a field; on Jersey and on RESTEasy.
 */
class TokenAccessTest {
  private static Fixture app;

  @BeforeAll
  static void start() {
    app = new Fixture(PersonalResource.class);
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  @Test
  void optionalWhenNoCredentialsThenAnonymous() throws Exception {
    HttpResponse<String> response = app.server.get("personal/greeting");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("hello stranger");
  }

  @Test
  void optionalWhenOtherSchemeThenAnonymous() throws Exception {
    HttpResponse<String> response = app.server.get("personal/greeting", "Authorization", "Basic dXNlcjpwYXNz");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("hello stranger");
  }

  @Test
  void optionalWhenValidTokenThenPersonalised() throws Exception {
    HttpResponse<String> response = app.server.getWithToken("personal/greeting", app.token("auth0|alice", "", List.of()));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("hello auth0|alice");
  }

  @Test
  void optionalWhenExpiredTokenThen401InvalidTokenNotAnonymous() throws Exception {
    long past = Instant.now().getEpochSecond() - 7200;
    String expired = app.issuer.jwt().claim("iat", past - 60).claim("exp", past).sign();
    HttpResponse<String> response = app.server.getWithToken("personal/greeting", expired);
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
        .startsWith("Bearer realm=\"tokenward\", error=\"invalid_token\", error_description=\"token expired");
  }

  @Test
  void optionalWhenMalformedTokenThen400InvalidRequest() throws Exception {
    HttpResponse<String> response = app.server.get("personal/greeting", "Authorization", "Bearer bad$token");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).contains("error=\"invalid_request\"");
  }

  @Test
  void beanParamWhenProtectedThenTokenInjectedAsParameterAndField() throws Exception {
    HttpResponse<String> response = app.server.getWithToken("personal/scoped",
        app.token("auth0|bob", "read:messages", List.of()));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("param=auth0|bob field=auth0|bob");
  }

  @Test
  void contextWhenProtectedThenVerifiedTokenInjectedOnEitherRuntime() throws Exception {
    HttpResponse<String> response = app.server.getWithToken("personal/context",
        app.token("auth0|carol", "read:messages", List.of()));
    assertThat(response.statusCode()).as("%s: %s", TestServer.RUNTIME, response.body()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("context=auth0|carol");
  }

  @Path("contradiction")
  public static class Contradiction {
    @GET
    @OptionalAuthentication
    @RequiresScopes("read:messages")
    public String get() {
      return "never";
    }
  }

  @Test
  void deployWhenOptionalBesideARequirementThenFailsNamingBoth() {
    assertThatThrownBy(() -> TestServer.start(TokenwardFeature.builder(app.validator).build(), Contradiction.class)
        .close())
        .satisfies(e -> {
          Throwable t = e;
          while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
          }
          Assertions.assertThat(t).isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("TokenAccessTest$Contradiction.get")
              .hasMessageContaining("@OptionalAuthentication contradicts @RequiresScopes: keep one");
        });
  }
}
