package dev.tokenward.samples.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.Requirement;
import dev.tokenward.servlet.BearerTokenFilter;
import dev.tokenward.test.TestIssuer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The servlet filter on embedded Tomcat 11 (Servlet 6.1), registered the two ways a Tomcat application does it: as
 * a filter definition with init-parameters (what {@code web.xml} declares, context {@code /web-xml}) and as an
 * instance added by a {@code ServletContainerInitializer} (context {@code /programmatic}). Both must answer the
 * same: 200 with a token that grants what the path needs, 401 with the RFC 6750 challenge without one or with a
 * bad one, 403 {@code insufficient_scope} when the grant is missing.
 */
class TomcatEmbeddedTest {
  static final String CHALLENGE = "Bearer realm=\"tokenward\"";
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  static TestIssuer issuer;
  static Tomcat tomcat;
  static String base;

  /** Answers "hello SUB" so that the test sees which caller the filter let through. */
  static final class Hello extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
      res.setContentType("text/plain");
      res.getWriter().print(req.getUserPrincipal() == null ? "hello anonymous" : "hello " + req.getRemoteUser());
    }
  }

  @BeforeAll
  static void start(@org.junit.jupiter.api.io.TempDir Path baseDir) throws Exception {
    issuer = TestIssuer.defaults().start();
    tomcat = new Tomcat();
    tomcat.setBaseDir(baseDir.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.getService().addConnector(connector);
    tomcat.setConnector(connector);

    Context webXml = context("/web-xml", baseDir);
    FilterDef def = new FilterDef();
    def.setFilterName("tokenward");
    def.setFilterClass(BearerTokenFilter.class.getName());
    Map.of("issuer", issuer.issuer(),
        "audience", TestIssuer.DEFAULT_API,
        "rule./api/private", "authenticated",
        "rule./api/private-scoped", TestIssuer.READ_MESSAGES).forEach(def::addInitParameter);
    webXml.addFilterDef(def);
    FilterMap map = new FilterMap();
    map.setFilterName("tokenward");
    map.addURLPattern("/*");
    webXml.addFilterMap(map);

    Context programmatic = context("/programmatic", baseDir);
    programmatic.addServletContainerInitializer((classes, servletContext) -> {
      AccessTokenValidator validator = AccessTokenValidator.builder()
          .issuer(issuer.issuer()).audience(TestIssuer.DEFAULT_API).build();
      BearerTokenFilter filter = BearerTokenFilter.builder(validator)
          .authenticated("/api/private")
          .require("/api/private-scoped", Requirement.allOf(TestIssuer.READ_MESSAGES))
          .build();
      servletContext.addFilter("tokenward", filter)
          .addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
    }, null);

    tomcat.start();
    base = "http://127.0.0.1:" + connector.getLocalPort();
  }

  private static Context context(String path, Path baseDir) throws IOException {
    Context context = tomcat.addContext(path, Files.createDirectories(baseDir.resolve(path.substring(1))).toString());
    Tomcat.addServlet(context, "hello", new Hello());
    context.addServletMappingDecoded("/", "hello");
    return context;
  }

  @AfterAll
  static void stop() throws Exception {
    if (tomcat != null) {
      tomcat.stop();
      tomcat.destroy();
    }
    if (issuer != null) {
      issuer.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/web-xml", "/programmatic"})
  void requestWhenTokenGrantsScopeThen200AsTheTokensSubject(String context) throws Exception {
    HttpResponse<String> r = get(context + "/api/private-scoped", issuer.accessToken(TestIssuer.DEMO_CLIENT, TestIssuer.DEFAULT_API));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hello " + TestIssuer.DEMO_CLIENT + "@clients");
    assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/web-xml", "/programmatic"})
  void requestWhenPathHasNoRuleThenPassesThroughWithoutToken(String context) throws Exception {
    HttpResponse<String> r = get(context + "/api/public", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("hello anonymous");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/web-xml", "/programmatic"})
  void requestWhenNoTokenThen401WithBareChallenge(String context) throws Exception {
    HttpResponse<String> r = get(context + "/api/private", null);
    assertThat(r.statusCode()).isEqualTo(401);
    // DPoP is allowed by default: the Bearer challenge and a DPoP one (RFC 9449 section 7.1)
    assertThat(r.headers().allValues("WWW-Authenticate")).containsExactly(CHALLENGE,
        "DPoP realm=\"tokenward\", algs=\"ES256 EdDSA Ed25519 RS256 PS256\"");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/web-xml", "/programmatic"})
  void requestWhenSignatureForgedThen401InvalidToken(String context) throws Exception {
    String token = issuer.accessToken(TestIssuer.DEMO_CLIENT, TestIssuer.DEFAULT_API);
    String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
    HttpResponse<String> r = get(context + "/api/private", forged);
    assertThat(r.statusCode()).isEqualTo(401);
    assertThat(r.headers().allValues("WWW-Authenticate")).containsExactly(CHALLENGE
        + ", error=\"invalid_token\", error_description=\"the token's RS256 signature does not verify with the issuer's key '"
        + issuer.currentKeyId() + "'\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/web-xml", "/programmatic"})
  void requestWhenTokenLacksScopeThen403InsufficientScope(String context) throws Exception {
    HttpResponse<String> r = get(context + "/api/private-scoped", issuer.accessToken(TestIssuer.LIMITED_CLIENT, TestIssuer.DEFAULT_API));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().allValues("WWW-Authenticate")).containsExactly(CHALLENGE
        + ", error=\"insufficient_scope\", error_description=\"the token lacks the required scope or permission read:messages\""
        + ", scope=\"read:messages\"");
  }

  private static HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
