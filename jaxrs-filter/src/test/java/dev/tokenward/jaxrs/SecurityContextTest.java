package dev.tokenward.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.TokenPrincipal;
import dev.tokenward.jaxrs.resources.ApiResource;
import jakarta.ws.rs.core.SecurityContext;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SecurityContext a protected resource sees, and the token behind it. */
class SecurityContextTest {
  private static Fixture app;

  @BeforeAll
  static void start() {
    app = new Fixture(ApiResource.class);
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
  }

  @Test
  void requestWhenAuthenticatedThenPrincipalIsTheTokenSubjectWithBearerScheme() throws Exception {
    HttpResponse<String> response = app.server.getWithToken("api/private",
        app.token("auth0|alice", "openid read:messages", List.of("support")));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("name=auth0|alice sub=auth0|alice scheme=Bearer secure=false "
        + "read:messages=true admin:all=false support=true");
  }

  @Test
  void requestWhenAuthenticatedThenRolesAreScopesAndPermissions() throws Exception {
    HttpResponse<String> response = app.server.getWithToken("api/private",
        app.token("auth0|bob", "", List.of("admin:all")));
    assertThat(response.body()).endsWith("read:messages=false admin:all=true support=false");
  }

  @Test
  void requestWhenOriginalRequestSecureThenContextIsSecure() throws Exception {
    HttpResponse<String> response = app.server.get("api/private", "Authorization", "Bearer " + app.token(),
        "X-Forwarded-Proto", "https");
    assertThat(response.body()).contains(" secure=true ");
  }

  @Test
  void requestWhenAuthenticatedThenTokenIsAlsoTheRequestProperty() throws Exception {
    HttpResponse<String> response = app.server.getWithToken("api/scoped", app.token("auth0|carol", "read:messages",
        List.of()));
    assertThat(response.headers().firstValue("X-Token-Subject")).contains("auth0|carol");
  }

  @Test
  void requestWhenPublicThenNoTokenPropertyEvenWithValidToken() throws Exception {
    HttpResponse<String> response = app.server.getWithToken("api/public", app.token());
    assertThat(response.body()).isEqualTo("public anonymous");
    assertThat(response.headers().firstValue("X-Token-Subject")).isEmpty();
  }

  @Test
  void principalWhenTokenHasNoSubjectThenNamedAfterClient() throws Exception {
    String machine = app.issuer.jwt().claim("sub", null).claim("azp", "client-7").sign();
    TokenPrincipal principal = new TokenPrincipal(app.validator.validate(machine));
    assertThat(principal.getName()).isEqualTo("client-7");
  }

  @Test
  void tokensFromWhenContextIsNotTokenwardsThenExplains() {
    SecurityContext anonymous = new SecurityContext() {
      @Override
      public Principal getUserPrincipal() {
        return null;
      }

      @Override
      public boolean isUserInRole(String role) {
        return false;
      }

      @Override
      public boolean isSecure() {
        return false;
      }

      @Override
      public String getAuthenticationScheme() {
        return null;
      }
    };
    assertThat(Tokens.find(anonymous)).isEmpty();
    assertThat(Tokens.find((SecurityContext) null)).isEmpty();
    assertThatThrownBy(() -> Tokens.from(anonymous)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("does not require one");
  }
}
