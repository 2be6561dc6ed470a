package dev.tokenward.servlet;

import static dev.tokenward.servlet.BearerTokenFilterTest.assertNoToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.FakeIssuer;
import dev.tokenward.core.Requirement;
import dev.tokenward.servlet.JettyApp.Answer;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Servlets that declare their own needs with annotations, found through the request's servlet mapping. */
class ServletAnnotationTest {
  static FakeIssuer issuer;
  static JettyApp app;

  @BeforeAll
  static void start() throws Exception {
    issuer = new FakeIssuer();
    AccessTokenValidator validator = AccessTokenValidator.builder()
        .issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE).build();
    BearerTokenFilter filter = BearerTokenFilter.builder(validator)
        .require("/annotated/write-too", Requirement.allOf("read:messages"))
        .build();
    app = JettyApp.withFilter(filter, context -> {
      context.addServlet(new ServletHolder("write", new TestServlets.WriteScoped()), "/annotated/write");
      context.addServlet(TestServlets.WriteScoped.class, "/annotated/write-too");
      context.addServlet(TestServlets.AnyAdminPermission.class, "/annotated/admin/*");
      context.addServlet(TestServlets.AuthenticatedOnly.class, "/annotated/auth");
      context.addServlet(TestServlets.TwoAnnotations.class, "/annotated/two");
      context.addServlet(TestServlets.InheritsWriteScoped.class, "/annotated/inherits");
      context.addServlet(TestServlets.EmptyScopes.class, "/annotated/empty");
      context.addServlet(TestServlets.MethodAnnotated.class, "/annotated/method");
      context.addServlet(new ServletHolder("unloadable", unloadableWriteScoped()), "/annotated/unloadable");
    });
  }

  /**
   * A {@code @RequiresScopes("write:messages")} servlet whose class no class loader can find by name,
   * as with a class of Java's single-file launcher or of a foreign class loader: a hidden class
   * defined from {@link TestServlets.WriteScoped}'s bytes.
   */
  static jakarta.servlet.Servlet unloadableWriteScoped() {
    String resource = "/" + TestServlets.WriteScoped.class.getName().replace('.', '/') + ".class";
    try (java.io.InputStream in = TestServlets.class.getResourceAsStream(resource)) {
      java.lang.invoke.MethodHandles.Lookup hidden = java.lang.invoke.MethodHandles.lookup()
          .defineHiddenClass(in.readAllBytes(), true);
      jakarta.servlet.Servlet servlet = (jakarta.servlet.Servlet) hidden.lookupClass().getConstructor().newInstance();
      assertThatThrownBy(() -> Class.forName(servlet.getClass().getName())).isInstanceOf(ClassNotFoundException.class);
      return servlet;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  // Issue #10 item 2 (regression): the filter logged a WARN for a servlet class it could not load and let the request
  // through without the class's @RequiresScopes: 200 with no token on the old code. Unknown now means refuse.
  @Test
  void requestWhenServletClassCannotBeLoadedThenFailsClosedWith500() throws Exception {
    Answer none = app.get("/annotated/unloadable");
    assertThat(none.status()).isEqualTo(500);
    assertThat(none.body()).doesNotContain("principal=");
    Answer withToken = app.getWithToken("/annotated/unloadable", issuer.jwt().claim("scope", "write:messages").sign());
    assertThat(withToken.status()).isEqualTo(500);
    assertThat(withToken.body()).doesNotContain("principal=");
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    issuer.close();
  }

  @Test
  void requestWhenServletRequiresScopeAndNoTokenThen401WithoutErrorCode() throws Exception {
    assertNoToken(app.get("/annotated/write"));
  }

  @Test
  void requestWhenServletRequiresScopeAndTokenLacksItThen403WithScope() throws Exception {
    Answer a = app.getWithToken("/annotated/write", issuer.jwt().sign());
    assertThat(a.status()).isEqualTo(403);
    assertThat(a.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"tokenward\", error=\"insufficient_scope\", "
        + "error_description=\"the token lacks the required scope write:messages\", scope=\"write:messages\"");
  }

  @Test
  void requestWhenServletRequiresScopeAndOnlyPermissionGrantsItThen403() throws Exception {
    String token = issuer.jwt().claim("permissions", List.of("write:messages")).sign();
    assertThat(app.getWithToken("/annotated/write", token).status()).isEqualTo(403);
  }

  @Test
  void requestWhenServletRequiresScopeAndTokenHasItThen200WithPrincipal() throws Exception {
    Answer a = app.getWithToken("/annotated/write", issuer.jwt().claim("scope", "write:messages").sign());
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).isEqualTo("path=/annotated/write principal=TokenPrincipal:auth0|user-1 "
        + "authType=Bearer remoteUser=auth0|user-1 roles=[read:messages, write:messages, **] attribute=principal's token");
  }

  @Test
  void requestWhenServletRequiresAnyPermissionThenOneSuffices() throws Exception {
    String support = issuer.jwt().claim("permissions", List.of("support:all")).sign();
    assertThat(app.getWithToken("/annotated/admin/users", support).status()).isEqualTo(200);
    Answer a = app.getWithToken("/annotated/admin/users", issuer.jwt().claim("scope", "admin:all").sign());
    assertThat(a.status()).isEqualTo(403);
    assertThat(a.header("WWW-Authenticate")).endsWith("error_description=\"the token grants none of the required "
        + "permission values: admin:all support:all\", scope=\"admin:all support:all\"");
  }

  @Test
  void requestWhenServletIsAuthenticatedOnlyThenAnyValidToken() throws Exception {
    assertNoToken(app.get("/annotated/auth"));
    String bare = issuer.jwt().claim("scope", null).claim("permissions", null).sign();
    assertThat(app.getWithToken("/annotated/auth", bare).status()).isEqualTo(200);
    assertThat(app.getWithToken("/annotated/auth", issuer.jwt().claim("aud", "https://other.api").sign()).status())
        .isEqualTo(401);
  }

  @Test
  void requestWhenServletHasTwoAnnotationsThenBothMustHold() throws Exception {
    String permissionOnly = issuer.jwt().claim("scope", "email").sign(); // permissions: read:messages
    Answer a = app.getWithToken("/annotated/two", permissionOnly);
    assertThat(a.status()).isEqualTo(403);
    assertThat(a.header("WWW-Authenticate")).endsWith(", scope=\"openid profile\"");
    assertThat(app.getWithToken("/annotated/two", issuer.jwt().sign()).status()).isEqualTo(200);
  }

  @Test
  void requestWhenPathRuleAndAnnotationBothCoverThenBothMustHold() throws Exception {
    String writeOnly = issuer.jwt().claim("scope", "write:messages").claim("permissions", List.of()).sign();
    assertThat(app.getWithToken("/annotated/write-too", writeOnly).header("WWW-Authenticate"))
        .endsWith(", scope=\"read:messages\"");
    String readOnly = issuer.jwt().sign();
    assertThat(app.getWithToken("/annotated/write-too", readOnly).header("WWW-Authenticate"))
        .endsWith(", scope=\"write:messages\"");
    String both = issuer.jwt().claim("scope", "read:messages write:messages").sign();
    assertThat(app.getWithToken("/annotated/write-too", both).status()).isEqualTo(200);
  }

  @Test
  void requestWhenServletInheritsAnnotationThenEnforced() throws Exception {
    assertThat(app.getWithToken("/annotated/inherits", issuer.jwt().sign()).status()).isEqualTo(403);
  }

  @Test
  void requestWhenAnnotationIsInvalidThenFailsClosedWith500() throws Exception {
    Answer a = app.getWithToken("/annotated/empty", issuer.jwt().sign());
    assertThat(a.status()).isEqualTo(500);
    assertThat(a.body()).doesNotContain("principal=");
  }

  @Test
  void requestWhenAnnotationIsOnAServletMethodThenFailsClosedWith500() throws Exception {
    Answer a = app.getWithToken("/annotated/method", issuer.jwt().claim("scope", "write:messages").sign());
    assertThat(a.status()).isEqualTo(500);
    assertThat(a.body()).doesNotContain("principal=");
    assertThat(app.get("/annotated/method").status()).isEqualTo(500);
    assertThatThrownBy(() -> Protections.read(TestServlets.MethodAnnotated.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("tokenward: @RequiresScopes on method dev.tokenward.servlet.TestServlets$MethodAnnotated.doGet "
            + "is not honoured by the servlet filter: annotate the servlet class");
  }

  @Test
  void readWhenAnnotationInvalidThenIllegalStateNamingClassAndAnnotation() {
    assertThatThrownBy(() -> Protections.read(TestServlets.EmptyScopes.class))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("tokenward: misconfigured security annotation on class "
            + "dev.tokenward.servlet.TestServlets$EmptyScopes: @RequiresScopes names no value");
  }

  @Test
  void requestWhenServletHasNoAnnotationAndNoRuleThenPassesThrough() throws Exception {
    Answer a = app.get("/elsewhere");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).startsWith("path=/elsewhere principal=none");
  }

  @Test
  void readWhenClassHasNoAnnotationThenNull() {
    assertThat(Protections.read(TestServlets.Echo.class)).isNull();
    assertThat(Protections.read(TestServlets.AuthenticatedOnly.class)).isEqualTo(new Protections.Protection(null, false));
  }
}
