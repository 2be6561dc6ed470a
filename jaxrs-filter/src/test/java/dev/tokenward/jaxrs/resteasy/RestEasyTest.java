package dev.tokenward.jaxrs.resteasy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.BearerErrorResponse;
import dev.tokenward.jaxrs.TokenwardFeature;
import dev.tokenward.jaxrs.resources.AdminResource;
import dev.tokenward.jaxrs.resources.ApiResource;
import dev.tokenward.jaxrs.resources.ForwardedProto;
import dev.tokenward.jaxrs.resources.LocatorResource;
import dev.tokenward.jaxrs.resources.PlainResource;
import dev.tokenward.jaxrs.resources.TokenPropertyHeader;
import dev.tokenward.test.TestIssuer;
import io.undertow.Undertow;
import jakarta.ws.rs.core.Application;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jboss.resteasy.plugins.server.undertow.UndertowJaxrsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same feature and resources on RESTEasy 6.2 (Undertow), without Jersey on the class path:
 * the filter relies on Jakarta REST 3.1 alone. The whole suite of the module runs on RESTEasy too
 * (surefire's {@code resteasy} execution, through {@code TestServer}); this class adds the class-path
 * check and a summary of the answers.
 */
class RestEasyTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final String AUDIENCE = "https://api.tokenward.test";
  private static TestIssuer issuer;
  private static Server server;
  private static URI base;

  /** Exposes the Undertow instance to read the port it picked. */
  private static final class Server extends UndertowJaxrsServer {
    int port() {
      return ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }
  }

  @BeforeAll
  static void start() {
    issuer = TestIssuer.builder().api(AUDIENCE).build().start();
    AccessTokenValidator validator = issuer.validator();
    TokenwardFeature feature = TokenwardFeature.builder(validator).build();
    server = new Server();
    server.start(Undertow.builder().addHttpListener(0, "127.0.0.1"));
    server.deploy(new Application() {
      @Override
      public Set<Class<?>> getClasses() {
        return Set.of(ApiResource.class, AdminResource.class, PlainResource.class, LocatorResource.class, ForwardedProto.class,
            TokenPropertyHeader.class);
      }

      @Override
      public Set<Object> getSingletons() {
        return Set.of(feature);
      }
    });
    base = URI.create("http://127.0.0.1:" + server.port() + "/");
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
    issuer.close();
  }

  private static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String token(String sub, String scope, List<String> permissions) {
    return issuer.jwt().subject(sub).claim("scope", scope).claim("permissions", permissions).sign();
  }

  @Test
  void classPathWhenRunningOnRestEasyThenJerseyIsAbsent() {
    assertThatThrownBy(() -> Class.forName("org.glassfish.jersey.server.ResourceConfig"))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void requestWhenNoTokenOnRestEasyThenCoresMissingTokenAnswer() throws Exception {
    BearerErrorResponse expected = BearerErrorResponse.missingToken("tokenward");
    HttpResponse<String> response = get("api/private");
    assertThat(response.statusCode()).isEqualTo(401);
    expected.headers().forEach((name, value) -> {
      if (!name.equals("WWW-Authenticate")) {
        assertThat(response.headers().allValues(name)).containsExactly(value);
      }
    });
    // DPoP is allowed by default: the Bearer challenge and a DPoP one (RFC 9449 section 7.1), one header each
    assertThat(response.headers().allValues("WWW-Authenticate")).containsExactly(expected.challenge(),
        "DPoP realm=\"tokenward\", algs=\"ES256 EdDSA Ed25519 RS256 PS256\"");
    assertThat(response.body()).isEqualTo(expected.body());
  }

  @Test
  void requestWhenMalformedHeaderOnRestEasyThen400InvalidRequest() throws Exception {
    HttpResponse<String> response = get("api/private", "Authorization", "Bearer abc$def");
    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow()).isEqualTo("Bearer realm=\"tokenward\", "
        + "error=\"invalid_request\", error_description=\"a character outside the RFC 6750 b64token alphabet in the "
        + "Authorization header\"");
    assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
  }

  @Test
  void requestWhenInvalidTokenOnRestEasyThen401InvalidToken() throws Exception {
    HttpResponse<String> response = get("api/private", "Authorization", "Bearer a.b.c");
    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(response.body()).startsWith("{\"error\":\"invalid_token\",\"error_description\":");
    assertThat(response.headers().allValues("Content-Type")).containsExactly("application/json");
  }

  @Test
  void requestWhenScopeMissingOnRestEasyThen403WithScope() throws Exception {
    HttpResponse<String> response = get("api/scoped-all", "Authorization", "Bearer " + token("u", "read:messages", List.of()));
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
        .endsWith("error=\"insufficient_scope\", error_description=\"the token lacks the required scope write:messages\", "
            + "scope=\"read:messages write:messages\"");
  }

  @Test
  void requestWhenAuthenticatedOnRestEasyThenSecurityContextAndPropertyCarryTheToken() throws Exception {
    HttpResponse<String> response = get("api/private", "Authorization",
        "Bearer " + token("auth0|alice", "openid read:messages", List.of("support")), "X-Forwarded-Proto", "https");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("name=auth0|alice sub=auth0|alice scheme=Bearer secure=true "
        + "read:messages=true admin:all=false support=true");
    assertThat(response.headers().firstValue("X-Token-Subject")).contains("auth0|alice");
  }

  @Test
  void requestWhenMethodOverridesClassOnRestEasyThenMethodRuleApplies() throws Exception {
    assertThat(get("admin", "Authorization", "Bearer " + token("u", "read:messages", List.of())).statusCode())
        .isEqualTo(403);
    assertThat(get("admin/readers", "Authorization", "Bearer " + token("u", "read:messages", List.of())).statusCode())
        .isEqualTo(200);
    assertThat(get("admin/status").statusCode()).isEqualTo(200);
  }

  @Test
  void requestWhenRolesAllowedOnRestEasyThenAnyRoleAsScopeOrPermission() throws Exception {
    assertThat(get("api/roles", "Authorization", "Bearer " + token("u", "support", List.of())).statusCode()).isEqualTo(200);
    assertThat(get("api/roles", "Authorization", "Bearer " + token("u", "openid", List.of())).statusCode()).isEqualTo(403);
  }

  @Test
  void requestWhenPermitAllOnRestEasyThenBadTokenIgnoredAndUnannotatedProtected() throws Exception {
    HttpResponse<String> open = get("api/public", "Authorization", "Bearer bad$token");
    assertThat(open.statusCode()).isEqualTo(200);
    assertThat(open.body()).isEqualTo("public anonymous");
    assertThat(get("plain").statusCode()).isEqualTo(401);
  }

  @Test
  void requestWhenSubResourceHasClassRuleOnRestEasyThenItApplies() throws Exception {
    assertThat(get("locator/messages").statusCode()).isEqualTo(401);
    assertThat(get("locator/messages", "Authorization", "Bearer " + token("u", "openid", List.of())).statusCode())
        .isEqualTo(403);
    assertThat(get("locator/messages", "Authorization", "Bearer " + token("u", "read:messages", List.of())).statusCode())
        .isEqualTo(200);
  }
}
