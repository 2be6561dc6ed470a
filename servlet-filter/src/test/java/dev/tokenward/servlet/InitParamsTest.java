package dev.tokenward.servlet;

import static dev.tokenward.servlet.BearerTokenFilterTest.assertNoToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.FakeIssuer;
import dev.tokenward.servlet.JettyApp.Answer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Configuration from init-parameters, as web.xml gives them, and init failures naming the parameter. */
class InitParamsTest {
  static FakeIssuer issuer;
  static JettyApp app;

  @BeforeAll
  static void start() throws Exception {
    issuer = new FakeIssuer();
    app = JettyApp.start(context -> {
      FilterHolder holder = new FilterHolder(BearerTokenFilter.class); // instantiated by Jetty, like web.xml
      holder.setName("tokenward");
      holder.setInitParameter("issuer", issuer.issuer());
      holder.setInitParameter("audience", "https://other.api, " + FakeIssuer.AUDIENCE);
      holder.setInitParameter("algorithms", "RS256,ES256");
      holder.setInitParameter("clock-skew-seconds", "30");
      holder.setInitParameter("realm", "orders-api");
      holder.setInitParameter("rule./api/private", "authenticated");
      holder.setInitParameter("rule./api/private-scoped", "read:messages");
      holder.setInitParameter("rule./api/admin/*", "any-permission admin:all support:all");
      context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
    });
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    issuer.close();
  }

  @Test
  void requestWhenConfiguredByInitParamsThenRulesAndRealmApply() throws Exception {
    Answer none = app.get("/api/private");
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.headers().get("WWW-Authenticate"))
        .containsExactly("Bearer realm=\"orders-api\"", "DPoP realm=\"orders-api\", " + BearerTokenFilterTest.DPOP_ALGS);

    assertThat(app.getWithToken("/api/private-scoped", issuer.jwt().sign()).status()).isEqualTo(200);
    assertThat(app.getWithToken("/api/private-scoped", issuer.jwt().claim("aud", "https://other.api").sign()).body())
        .startsWith("path=/api/private-scoped principal=TokenPrincipal");
    assertThat(app.getWithToken("/api/private", issuer.jwt().signWith(FakeIssuer.ecKey()).sign()).status()).isEqualTo(200);
    Answer admin = app.getWithToken("/api/admin/users", issuer.jwt().sign());
    assertThat(admin.status()).isEqualTo(403);
    assertThat(admin.header("WWW-Authenticate")).isEqualTo("Bearer realm=\"orders-api\", error=\"insufficient_scope\", "
        + "error_description=\"the token grants none of the required permission values: admin:all support:all\", "
        + "scope=\"admin:all support:all\"");
    assertThat(app.get("/api/public").status()).isEqualTo(200);
  }

  @Test
  void startWhenInitParamInvalidThenServerFailsToStartNamingTheParameter() {
    assertThatThrownBy(InitParamsTest::startBroken)
        .isInstanceOf(ServletException.class)
        .hasMessageStartingWith("tokenward init-param 'audience': required when init-param 'issuer' is set");
  }

  private static JettyApp startBroken() throws Exception {
    return JettyApp.start(context -> {
      FilterHolder holder = new FilterHolder(BearerTokenFilter.class);
      holder.setInitParameter("issuer", issuer.issuer());
      holder.setInitParameter("rule./api/private", "authenticated");
      context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
    });
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      audience=x                                 | 'issuer': required
      issuer=ISSUER                              | 'audience': required
      issuer=ISSUER&audience= , ,                | 'audience': lists no value; give one or more, comma-separated
      issuer=ISSUER&audience=A&algorithms=none   | 'algorithms': 'none' is never allowed; unsigned tokens prove nothing
      issuer=ISSUER&audience=A&algorithms=HS256  | 'hs256-secret': required when init-param 'algorithms' lists HS256
      issuer=ISSUER&audience=A&hmac-secret=short | 'hmac-secret': renamed; use init-param 'hs256-secret'
      issuer=ISSUER&audience=A&clock-skew-seconds=soon | 'clock-skew-seconds': must be a whole number of seconds from 0 to 600, got 'soon'
      issuer=ISSUER&audience=A&clock-skew-seconds=900  | 'clock-skew-seconds': must be a whole number of seconds from 0 to 600, got 900
      issuer=ISSUER&audience=A&opaque=maybe             | 'opaque': 'maybe' is not one of reject, userinfo, introspect
      issuer=ISSUER&audience=A&opaque=introspec         | 'opaque': 'introspec' is not one of reject, userinfo, introspect; did you mean introspect?
      issuer=ISSUER&audience=A&opaque-tokens=userinfo   | 'opaque-tokens': renamed; use init-param 'opaque'
      issuer=ISSUER&audience=A&opaque=introspect        | 'client-id': required when init-param 'opaque'=introspect
      issuer=ISSUER&audience=A&client-id=api            | 'client-secret': required when init-param 'client-id' is set
      issuer=ISSUER&audience=A&allow-query-token=yes    | 'allow-query-token': 'yes' is not one of true, false
      issuer=http://issuer.example.com/&audience=A      | 'issuer': http is only allowed for loopback hosts
      issuer=ISSUER&audience=A&jwks-uri=http://keys.example.com/jwks | 'jwks-uri': http is only allowed for loopback hosts
      issuer=ISSUER&audience=A&audiance=B               | 'audiance': unknown setting; did you mean init-param 'audience'?
      issuer=ISSUER&audience=A&rule./api/x=             | 'rule./api/x': empty rule; give 'authenticated' or the scopes/permissions required
      issuer=ISSUER&audience=A&rule./api/x=any-of       | 'rule./api/x': 'any-of' needs at least one scope or permission after it
      issuer=ISSUER&audience=A&rule./api/x=read:a;;b    | 'rule./api/x': empty clause, or 'authenticated' combined with other clauses
      issuer=ISSUER&audience=A&rule.api/x=authenticated | 'rule.api/x': path pattern 'api/x' must be an exact path such as /api/private or a prefix such as /api/*
      issuer=ISSUER&audience=A&rule./api/*/x=authenticated | 'rule./api/*/x': path pattern '/api/*/x' must be an exact path
      """)
  void initWhenParameterWrongThenServletExceptionNamingIt(String params, String message) {
    Map<String, String> map = new LinkedHashMap<>();
    for (String pair : params.split("&")) {
      int eq = pair.indexOf('=');
      map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).replace("ISSUER", issuer.issuer()));
    }
    assertThatThrownBy(() -> new BearerTokenFilter().init(config(map)))
        .isInstanceOf(ServletException.class)
        .hasMessageStartingWith("tokenward init-param " + message);
  }

  @Test
  void requestWhenOpaqueTokensIntrospectedPerInitParamsThenIssuerDecides() throws Exception {
    issuer.opaque("opaque-abc", Map.of("sub", "auth0|opaque", "scope", "read:messages"));
    BearerTokenFilter filter = new BearerTokenFilter();
    filter.init(config(Map.of("issuer", issuer.issuer(), "audience", FakeIssuer.AUDIENCE, "opaque", "Introspect",
        "client-id", "api", "client-secret", "s3cret", "introspection-uri", issuer.url("/oauth/introspect"),
        "rule./api/*", "read:messages")));
    try (JettyApp other = JettyApp.withFilter(filter, context -> { })) {
      assertThat(other.getWithToken("/api/x", "opaque-abc").body())
          .isEqualTo("path=/api/x principal=TokenPrincipal:auth0|opaque authType=Bearer remoteUser=auth0|opaque "
              + "roles=[read:messages, **] attribute=principal's token");
      BearerTokenFilterTest.assertRefused(other.getWithToken("/api/x", "opaque-unknown"), 401, "invalid_token",
          "the issuer's introspection endpoint says the token is not active (expired, revoked or unknown)");
    }
  }

  @Test
  void initWhenSecretIsRefusedThenMessageDoesNotEchoIt() {
    assertThatThrownBy(() -> new BearerTokenFilter().init(config(Map.of("issuer", issuer.issuer(), "audience", "A",
        "algorithms", "HS256", "hs256-secret", "too-short-secret"))))
        .hasMessage("tokenward init-param 'hs256-secret': HS256 needs a secret of at least 256 bits; this one has 128")
        .hasMessageNotContaining("too-short-secret");
  }

  @Test
  void initWhenProgrammaticFilterAlsoGetsInitParamsThenFails() {
    BearerTokenFilter filter = BearerTokenFilter.builder(AccessTokenValidator.builder()
        .issuer(issuer.issuer()).audience("A").build()).build();
    assertThatThrownBy(() -> filter.init(config(Map.of("realm", "x"))))
        .isInstanceOf(ServletException.class)
        .hasMessage("tokenward init-param 'realm': this filter was configured programmatically, init-parameters "
            + "would be ignored");
  }

  @Test
  void requestWhenInitParamRulesGivenThenNoTokenAnswerUsesDefaultRealm() throws Exception {
    BearerTokenFilter filter = new BearerTokenFilter();
    filter.init(config(Map.of("issuer", issuer.issuer(), "audience", FakeIssuer.AUDIENCE,
        "rule./x/*", "online authenticated")));
    try (JettyApp other = JettyApp.withFilter(filter, context -> { })) {
      assertNoToken(other.get("/x/y"));
    }
  }

  @Test
  void initWhenNoInitParamsThenTheEnvironmentAloneConfiguresTheFilter() throws Exception {
    Map<String, String> env = Map.of("TOKENWARD_ISSUER", issuer.issuer(), "TOKENWARD_AUDIENCE", FakeIssuer.AUDIENCE,
        "TOKENWARD_REALM", "env-api", "TOKENWARD_RULES", "/api/*=authenticated, /api/admin/*=admin:all");
    BearerTokenFilter filter = InitParams.read(config(Map.of()), env, new Properties()).build();
    try (JettyApp other = JettyApp.withFilter(filter, context -> { })) {
      assertThat(other.get("/api/x").headers().get("WWW-Authenticate").get(0)).startsWith("Bearer realm=\"env-api\"");
      assertThat(other.getWithToken("/api/x", issuer.jwt().sign()).status()).isEqualTo(200);
      assertThat(other.getWithToken("/api/admin/x", issuer.jwt().sign()).status()).isEqualTo(403);
      assertThat(other.get("/public").status()).isEqualTo(200);
    }
  }

  @Test
  void initWhenInitParamAndEnvironmentBothSetThenInitParamWinsAndErrorsNameTheSource() {
    Map<String, String> env = Map.of("TOKENWARD_ISSUER", issuer.issuer(), "TOKENWARD_AUDIENCE", "from-env");
    assertThatThrownBy(() -> InitParams.read(config(Map.of("audience", "A", "algorithms", "RS1")), env,
        new Properties()))
        .isInstanceOf(ServletException.class)
        .hasMessageStartingWith("tokenward init-param 'algorithms': unknown or unsupported JWS algorithm 'RS1'");
    assertThatThrownBy(() -> InitParams.read(config(Map.of()), Map.of("TOKENWARD_ISSUER", issuer.issuer(),
        "TOKENWARD_AUDIANCE", "A"), new Properties()))
        .hasMessage("tokenward TOKENWARD_AUDIANCE: unknown setting; did you mean TOKENWARD_AUDIENCE?");
    assertThatThrownBy(() -> InitParams.read(config(Map.of()), Map.of("TOKENWARD_ISSUER", issuer.issuer(),
        "TOKENWARD_AUDIENCE", "A", "TOKENWARD_RULES", "/api/*"), new Properties()))
        .hasMessage("tokenward TOKENWARD_RULES: '/api/*' is not PATTERN=RULE, e.g. /api/*=authenticated");
    assertThatThrownBy(() -> InitParams.read(config(Map.of()), Map.of("TOKENWARD_ISSUER", issuer.issuer(),
        "TOKENWARD_AUDIENCE", "A", "TOKENWARD_RULES", "/api/*=authenticated, /admin/*="), new Properties()))
        .hasMessageStartingWith("tokenward TOKENWARD_RULES: path rule /admin/* = '': empty rule");
    assertThatThrownBy(() -> InitParams.read(config(Map.of()), Map.of(), new Properties()))
        .hasMessageStartingWith("tokenward TOKENWARD_ISSUER: required");
  }

  @Test
  void initWhenSecretSetWithoutHmacAlgorithmThenIgnored() throws Exception {
    InitParams.read(config(Map.of("issuer", issuer.issuer(), "audience", "A", "hs256-secret", "unused")), Map.of(),
        new Properties()).build();
  }

  static FilterConfig config(Map<String, String> params) {
    return new FilterConfig() {
      @Override
      public String getFilterName() {
        return "tokenward";
      }

      @Override
      public ServletContext getServletContext() {
        return null;
      }

      @Override
      public String getInitParameter(String name) {
        return params.get(name);
      }

      @Override
      public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(List.copyOf(params.keySet()));
      }
    };
  }
}
