package dev.tokenward.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.FakeIssuer;
import dev.tokenward.core.ProtectedResourceMetadata;
import dev.tokenward.core.Requirement;
import dev.tokenward.core.RequiresStepUp;
import dev.tokenward.core.StepUp;
import dev.tokenward.servlet.JettyApp.Answer;
import jakarta.servlet.DispatcherType;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** RFC 9728 metadata and RFC 9470 step-up through the servlet filter, over real HTTP, in the root context. */
class ResourceMetadataTest {
  static final String MFA = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";

  static FakeIssuer issuer;
  static AccessTokenValidator validator;

  @RequiresStepUp(acr = MFA, maxAgeSeconds = 300)
  public static class StepUpServlet extends TestServlets.Echo {}

  @RequiresStepUp
  public static class ConfiguredStepUpServlet extends TestServlets.Echo {}

  @BeforeAll
  static void start() {
    issuer = new FakeIssuer();
    validator = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE).build();
  }

  @AfterAll
  static void stop() throws Exception {
    validator.close();
    issuer.close();
  }

  /** Jetty on a free loopback port, root context, the filter on /*, the echo servlet plus the step-up servlets. */
  static final class App implements AutoCloseable {
    final Server server;
    final String base;

    App(BearerTokenFilter filter) throws Exception {
      this(filter, true);
    }

    /** {@code configuredStepUp}: also the servlet whose bare @RequiresStepUp needs the filter's policy. */
    App(BearerTokenFilter filter, boolean configuredStepUp) throws Exception {
      server = new Server();
      ServerConnector connector = new ServerConnector(server, 1, 1);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler("/");
      context.addServlet(new ServletHolder("echo", new TestServlets.Echo()), "/");
      context.addServlet(new ServletHolder("write", new TestServlets.WriteScoped()), "/annotated/write");
      context.addServlet(new ServletHolder("step-up", new StepUpServlet()), "/step-up");
      if (configuredStepUp) {
        context.addServlet(new ServletHolder("configured", new ConfiguredStepUpServlet()), "/configured-step-up");
      }
      context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
      server.setHandler(context);
      server.start();
      base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    Answer get(String path, String... headers) throws Exception {
      Request.Builder b = new Request.Builder().url(base + path);
      for (int i = 0; i < headers.length; i += 2) {
        b.addHeader(headers[i], headers[i + 1]);
      }
      return JettyApp.send(b.build());
    }

    @Override
    public void close() throws Exception {
      server.stop();
    }
  }

  /** The filter's rules; the policy for {@code @RequiresStepUp} without attributes is {@code acr urn:strong}. */
  private static BearerTokenFilter.Builder filter() {
    return unconfiguredFilter().stepUp(StepUp.builder().acr("urn:strong").build());
  }

  private static BearerTokenFilter.Builder unconfiguredFilter() {
    return BearerTokenFilter.builder(validator)
        .require("/api/scoped", Requirement.allOf("read:messages"))
        .require("/api/admin", Requirement.anyOf("admin:all", "openid"))
        .authenticated("/api/private");
  }

  private static Map<String, Object> json(Answer a) throws Exception {
    return JSONObjectUtils.parse(a.body());
  }

  @Test
  void metadataWhenResourceTakenFromRequestThenDocumentNamesTheOriginAndIssuerWithoutToken() throws Exception {
    try (App app = new App(filter().resourceMetadata(ProtectedResourceMetadata.builder(validator).build()).build())) {
      Answer a = app.get("/.well-known/oauth-protected-resource");
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.header("Content-Type")).startsWith("application/json");
      assertThat(a.header("Access-Control-Allow-Origin")).isEqualTo("*");
      assertThat(a.header("Cache-Control")).isEqualTo("public, max-age=300");
      assertThat(a.header("WWW-Authenticate")).isNull();
      assertThat(a.body()).isEqualTo("{\"resource\":\"" + app.base + "\",\"authorization_servers\":[\"" + issuer.issuer()
          + "\"],\"scopes_supported\":[\"read:messages\",\"admin:all\",\"write:messages\"],"
          + "\"bearer_methods_supported\":[\"header\"]}");
    }
  }

  @Test
  void challengesWhenMetadataPublishedThenEvery401And403NamesItsUrl() throws Exception {
    try (App app = new App(filter().resourceMetadata(ProtectedResourceMetadata.builder(validator).build()).build())) {
      String meta = "resource_metadata=\"" + app.base + "/.well-known/oauth-protected-resource\"";
      // no credentials, DPoP allowed (the default): the Bearer challenge, then the DPoP one, each naming the metadata
      assertThat(app.get("/api/private").headers().get("WWW-Authenticate")).containsExactly("Bearer realm=\"tokenward\", " + meta,
          "DPoP realm=\"tokenward\", algs=\"ES256 EdDSA Ed25519 RS256 PS256\", " + meta);
      Answer expired = app.get("/api/private", "Authorization", "Bearer "
          + issuer.jwt().claim("exp", Instant.now().getEpochSecond() - 3600).sign());
      assertThat(expired.status()).isEqualTo(401);
      assertThat(expired.header("WWW-Authenticate")).startsWith("Bearer realm=\"tokenward\", error=\"invalid_token\", ")
          .endsWith(", " + meta);
      Answer forbidden = app.get("/annotated/write", "Authorization", "Bearer " + issuer.jwt().sign());
      assertThat(forbidden.status()).isEqualTo(403);
      assertThat(forbidden.header("WWW-Authenticate")).endsWith(", scope=\"write:messages\", " + meta);
    }
  }

  @Test
  void metadataWhenResourceHasAPathThenServedOnlyAtTheSuffixedUrlWhichChallengesName() throws Exception {
    ProtectedResourceMetadata m = ProtectedResourceMetadata.builder(validator).resource("https://api.example.com/mcp")
        .resourceName("Messages").hideScopes("admin:all").scopesSupported("extra:scope").build();
    try (App app = new App(filter().resourceMetadata(m).allowQueryToken(true).build())) {
      String expected = "{\"resource\":\"https://api.example.com/mcp\",\"authorization_servers\":[\"" + issuer.issuer()
          + "\"],\"scopes_supported\":[\"extra:scope\",\"read:messages\",\"write:messages\"],"
          + "\"bearer_methods_supported\":[\"header\",\"query\"],\"resource_name\":\"Messages\"}";
      assertThat(app.get("/.well-known/oauth-protected-resource/mcp").body()).isEqualTo(expected);
      // RFC 9728 section 3.3: the root URL's document would have to name https://api.example.com
      assertThat(app.get("/.well-known/oauth-protected-resource").body()).startsWith("path="); // the application's
      assertThat(app.get("/.well-known/oauth-protected-resource/other").body()).startsWith("path="); // the application's
      assertThat(app.get("/api/private").headers().get("WWW-Authenticate").get(0)).isEqualTo("Bearer realm=\"tokenward\", "
          + "resource_metadata=\"https://api.example.com/.well-known/oauth-protected-resource/mcp\"");
    }
  }

  @Test
  void metadataWhenNotGetThen405AndPreflightAllowed() throws Exception {
    try (App app = new App(filter().resourceMetadata(ProtectedResourceMetadata.builder(validator).build()).build())) {
      Answer post = JettyApp.send(new Request.Builder().url(app.base + "/.well-known/oauth-protected-resource")
          .post(RequestBody.create(new byte[0])).build());
      assertThat(post.status()).isEqualTo(405);
      assertThat(post.header("Allow")).isEqualTo("GET, OPTIONS");
      Answer preflight = JettyApp.send(new Request.Builder().url(app.base + "/.well-known/oauth-protected-resource")
          .method("OPTIONS", null).header("Origin", "https://client.example").build());
      assertThat(preflight.status()).isEqualTo(204);
      assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("*");
    }
  }

  @Test
  void metadataWhenNotConfiguredThenNotServedAndNoResourceMetadataInChallenges() throws Exception {
    try (App app = new App(filter().build())) {
      assertThat(app.get("/.well-known/oauth-protected-resource").body()).startsWith("path=/.well-known/");
      assertThat(app.get("/api/private").headers().get("WWW-Authenticate").get(0)).isEqualTo("Bearer realm=\"tokenward\"");
    }
  }

  @Test
  void metadataWhenServingTurnedOffThenApplicationServesItAndChallengesStillPointToIt() throws Exception {
    ProtectedResourceMetadata m = ProtectedResourceMetadata.builder(validator).resource("https://api.example.com").build();
    try (App app = new App(filter().resourceMetadata(m).serveResourceMetadata(false).build())) {
      assertThat(app.get("/.well-known/oauth-protected-resource").body()).startsWith("path=/.well-known/");
      assertThat(app.get("/api/private").headers().get("WWW-Authenticate").get(0))
          .endsWith("resource_metadata=\"https://api.example.com/.well-known/oauth-protected-resource\"");
    }
  }

  @Test
  void stepUpWhenAcrAndAuthTimeFreshThenPassesElse401InsufficientUserAuthentication() throws Exception {
    long now = Instant.now().getEpochSecond();
    try (App app = new App(filter().resourceMetadata(ProtectedResourceMetadata.builder(validator).build()).build())) {
      String strong = issuer.jwt().claim("acr", MFA).claim("auth_time", now - 10).sign();
      assertThat(app.get("/step-up", "Authorization", "Bearer " + strong).status()).isEqualTo(200);

      Answer weak = app.get("/step-up", "Authorization", "Bearer " + issuer.jwt().claim("auth_time", now).sign());
      assertThat(weak.status()).isEqualTo(401);
      assertThat(weak.header("Cache-Control")).isEqualTo("no-store");
      assertThat(weak.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"tokenward\", "
          + "error=\"insufficient_user_authentication\", error_description=\"the authentication is not strong enough: "
          + "no 'acr', where 'acr' " + MFA + " is required: authenticate again\", acr_values=\"" + MFA + "\", "
          + "max_age=\"300\", resource_metadata=\"" + app.base + "/.well-known/oauth-protected-resource\"");
      assertThat(json(weak)).containsEntry("error", "insufficient_user_authentication");

      Answer old = app.get("/step-up", "Authorization", "Bearer "
          + issuer.jwt().claim("acr", MFA).claim("auth_time", now - 3600).sign());
      assertThat(old.status()).isEqualTo(401);
      assertThat(old.header("WWW-Authenticate")).contains("error=\"insufficient_user_authentication\"")
          .contains("max_age=\"300\"");
      Answer noAuthTime = app.get("/step-up", "Authorization", "Bearer " + issuer.jwt().claim("acr", MFA).sign());
      assertThat(noAuthTime.status()).isEqualTo(401);
      assertThat(noAuthTime.header("WWW-Authenticate")).contains("no 'auth_time'");
    }
  }

  @Test
  void stepUpWhenPathRuleThenAmrAlsoAccepted() throws Exception {
    StepUp mfa = StepUp.builder().acr(MFA).amr("mfa").maxAge(Duration.ofMinutes(5)).build();
    long now = Instant.now().getEpochSecond();
    try (App app = new App(filter().require("/api/transfer", Requirement.allOf("read:messages")
        .and(Requirement.stepUp(mfa))).build())) {
      String amrOnly = issuer.jwt().claim("amr", List.of("pwd", "mfa")).claim("auth_time", now).sign();
      assertThat(app.get("/api/transfer", "Authorization", "Bearer " + amrOnly).status()).isEqualTo(200);
      String pwd = issuer.jwt().claim("amr", List.of("pwd")).claim("auth_time", now).sign();
      Answer a = app.get("/api/transfer", "Authorization", "Bearer " + pwd);
      assertThat(a.status()).isEqualTo(401);
      assertThat(a.header("WWW-Authenticate")).contains("acr_values=\"" + MFA + "\"").contains("max_age=\"300\"");
    }
  }

  @Test
  void stepUpWhenAnnotationHasNoAttributesThenTheFiltersPolicyAndWithoutOneTheServletFails() throws Exception {
    long now = Instant.now().getEpochSecond();
    try (App app = new App(filter().build())) {
      assertThat(app.get("/configured-step-up", "Authorization", "Bearer "
          + issuer.jwt().claim("acr", "urn:strong").sign()).status()).isEqualTo(200);
      assertThat(app.get("/configured-step-up", "Authorization", "Bearer "
          + issuer.jwt().claim("acr", MFA).claim("auth_time", now).sign()).header("WWW-Authenticate"))
          .contains("acr_values=\"urn:strong\"");
    }
    try (App app = new App(unconfiguredFilter().build())) {
      // fail closed: the servlet is never reached
      Answer a = app.get("/configured-step-up", "Authorization", "Bearer " + issuer.jwt().claim("acr", "urn:strong").sign());
      assertThat(a.status()).isEqualTo(500);
      assertThat(a.body()).doesNotStartWith("path=");
    }
    assertThatThrownBy(() -> Protections.read(ConfiguredStepUpServlet.class))
        .hasMessageContaining(ConfiguredStepUpServlet.class.getName()).hasMessageContaining("no step-up policy");
  }

  @Test
  void settingsWhenTokenwardResourceSetThenTheFilterPublishesTheMetadata() throws Exception {
    Map<String, String> env = Map.of("TOKENWARD_ISSUER", issuer.issuer(), "TOKENWARD_AUDIENCE", FakeIssuer.AUDIENCE,
        "TOKENWARD_RULES", "/api/*=read:messages", "TOKENWARD_RESOURCE", "https://api.example.com",
        "TOKENWARD_RESOURCE_NAME", "Example API");
    try (App app = new App(InitParams.read(InitParamsTest.config(Map.of()), env, new java.util.Properties()).build(),
        false)) {
      assertThat(app.get("/.well-known/oauth-protected-resource").body()).isEqualTo("{\"resource\":"
          + "\"https://api.example.com\",\"authorization_servers\":[\"" + issuer.issuer() + "\"],"
          + "\"scopes_supported\":[\"read:messages\",\"write:messages\"],\"bearer_methods_supported\":[\"header\"],"
          + "\"resource_name\":\"Example API\"}");
      assertThat(app.get("/api/x").headers().get("WWW-Authenticate").get(0))
          .isEqualTo("Bearer realm=\"tokenward\", resource_metadata=\"https://api.example.com/.well-known/oauth-protected-resource\"");
    }
    Map<String, String> plainHttp = Map.of("TOKENWARD_ISSUER", issuer.issuer(), "TOKENWARD_AUDIENCE", FakeIssuer.AUDIENCE,
        "TOKENWARD_RESOURCE", "http://api.example.com");
    assertThatThrownBy(() -> InitParams.read(InitParamsTest.config(Map.of()), plainHttp, new java.util.Properties()))
        .hasMessageContaining("TOKENWARD_RESOURCE").hasMessageContaining("https");
  }
}
