package dev.tokenward.servlet;

import static dev.tokenward.servlet.Issuers.jwt;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.Reason;
import dev.tokenward.core.ValidationListener;
import dev.tokenward.servlet.JettyApp.Answer;
import dev.tokenward.test.TestIssuer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The servlet filter's {@code optional} path rule, case for case as the JAX-RS feature's
 * {@code @OptionalAuthentication} ({@code TokenAccessTest}, {@code OptionalAuthenticationEventsTest}
 * in jaxrs-filter): anonymous without credentials, authenticated with a valid token, refused with a
 * bad one; and what the validator's listener hears of each (an anonymous request is no refusal).
 */
class OptionalAuthenticationTest {
  static final List<String> events = new CopyOnWriteArrayList<>();
  static TestIssuer issuer;
  static AccessTokenValidator validator;
  static JettyApp app;

  @BeforeAll
  static void start() throws Exception {
    issuer = Issuers.start();
    validator = AccessTokenValidator.builder().issuer(issuer.issuer()).audience(Issuers.AUDIENCE)
        .listener(new ValidationListener() {
          @Override
          public void tokenAccepted(String iss, long nanos) {
            events.add("accepted");
          }

          @Override
          public void tokenRefused(Reason reason, String iss, long nanos) {
            events.add("refused " + reason);
          }
        }).build();
    BearerTokenFilter filter = BearerTokenFilter.builder(validator)
        .rule(PathRule.parse("/personal/*", "optional"))   // the text form, as in rule.PATTERN and TOKENWARD_RULES
        .optional("/programmatic")                         // the builder's form
        .allowQueryToken(true)
        .build();
    app = JettyApp.start(context -> {
      context.addFilter(new FilterHolder(new UnparsableUrl()), "/*", EnumSet.of(DispatcherType.REQUEST));
      context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
      context.addServlet(new ServletHolder("authenticated-only", new TestServlets.AuthenticatedOnly()),
          "/personal/annotated");
    });
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    validator.close();
    issuer.close();
  }

  @BeforeEach
  void clear() {
    events.clear();
  }

  @Test
  void optionalWhenNoCredentialsThenAnonymous() throws Exception {
    Answer a = app.get("/personal/greeting");

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).isEqualTo("path=/personal/greeting principal=none authType=null remoteUser=null roles=[] "
        + "attribute=none");
    assertThat(events).as("an anonymous request served is no refusal").isEmpty();
  }

  @Test
  void optionalWhenOtherSchemeThenAnonymous() throws Exception {
    Answer a = app.get("/personal/greeting", "Authorization", "Basic dXNlcjpwYXNz");

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).contains("principal=none").contains("attribute=none");
    assertThat(events).as("not reported as MISSING_TOKEN: it was served").isEmpty();
  }

  @Test
  void optionalWhenValidTokenThenPersonalised() throws Exception {
    Answer a = app.getWithToken("/personal/greeting", jwt(issuer).subject("auth0|alice").sign());

    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body()).isEqualTo("path=/personal/greeting principal=TokenPrincipal:auth0|alice authType=Bearer "
        + "remoteUser=auth0|alice roles=[read:messages, **] attribute=principal's token");
    assertThat(events).containsExactly("accepted");
  }

  @Test
  void optionalWhenValidTokenOnBuilderRuleThenPersonalised() throws Exception {
    assertThat(app.getWithToken("/programmatic", jwt(issuer).subject("auth0|bob").sign()).body())
        .contains("principal=TokenPrincipal:auth0|bob");
    assertThat(app.get("/programmatic").body()).contains("principal=none");
  }

  @Test
  void optionalWhenExpiredTokenThen401InvalidTokenNotAnonymous() throws Exception {
    Answer a = app.getWithToken("/personal/greeting", jwt(issuer).expired().sign());

    assertThat(a.status()).isEqualTo(401);
    assertThat(a.header("WWW-Authenticate"))
        .startsWith("Bearer realm=\"tokenward\", error=\"invalid_token\", error_description=\"token expired");
    assertThat(events).containsExactly("refused EXPIRED");
  }

  @Test
  void optionalWhenMalformedTokenThen400InvalidRequest() throws Exception {
    Answer a = app.get("/personal/greeting", "Authorization", "Bearer bad$token");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.header("WWW-Authenticate")).contains("error=\"invalid_request\"");
    assertThat(events).containsExactly("refused INVALID_REQUEST");
  }

  @Test
  void optionalWhenTwoAuthorizationHeadersThen400InvalidRequest() throws Exception {
    String token = jwt(issuer).sign();
    Answer a = app.get("/personal/greeting", "Authorization", "Bearer " + token, "Authorization", "Bearer " + token);

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.header("WWW-Authenticate")).contains("error=\"invalid_request\"");
  }

  @Test
  void optionalWhenOtherSchemeAndQueryTokenThen400CountedOnceAsInvalidRequest() throws Exception {
    Answer a = app.get("/personal/greeting?access_token=" + jwt(issuer).sign(), "Authorization", "Basic dXNlcjpwYXNz");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.header("WWW-Authenticate")).contains("error=\"invalid_request\"")
        .contains("the request carries credentials in the Authorization header and a token in a parameter");
    assertThat(events).as("refused before core saw it, counted all the same").containsExactly("refused INVALID_REQUEST");
  }

  @Test
  void optionalWhenServletAnnotatedAuthenticatedThenTokenStillRequired() throws Exception {
    Answer a = app.get("/personal/annotated");

    BearerTokenFilterTest.assertNoToken(a);
    assertThat(events).containsExactly("refused MISSING_TOKEN");
  }

  @Test
  void optionalWhenBearerHeaderAndQueryTokenThen400CountedOnceAsInvalidRequest() throws Exception {
    String token = jwt(issuer).sign();
    Answer a = app.get("/personal/greeting?access_token=" + token, "Authorization", "Bearer " + token);

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.header("WWW-Authenticate")).contains("error=\"invalid_request\"");
    assertThat(events).containsExactly("refused INVALID_REQUEST");
  }

  // A container (or a request wrapper in front) may hand over a URL java.net.URI cannot parse: the filter answers
  // 400 before core sees the request, and that refusal is counted too.
  @Test
  void optionalWhenRequestUrlCannotBeParsedThen400CountedOnceAsInvalidRequest() throws Exception {
    Answer a = app.getWithToken("/personal/greeting?unparsable-url", jwt(issuer).sign());

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.header("WWW-Authenticate")).contains("error=\"invalid_request\"")
        .contains("the request's method or URL cannot be read");
    assertThat(events).containsExactly("refused INVALID_REQUEST");
  }

  /** In front of tokenward: makes {@code getRequestURL()} unparsable for a request whose query is {@code unparsable-url}. */
  public static class UnparsableUrl implements jakarta.servlet.Filter {
    @Override
    public void doFilter(jakarta.servlet.ServletRequest req, jakarta.servlet.ServletResponse res,
        jakarta.servlet.FilterChain chain) throws java.io.IOException, jakarta.servlet.ServletException {
      HttpServletRequest request = (HttpServletRequest) req;
      chain.doFilter("unparsable-url".equals(request.getQueryString()) ? new HttpServletRequestWrapper(request) {
        @Override
        public StringBuffer getRequestURL() {
          return new StringBuffer("http://127.0.0.1/personal/a b");
        }
      } : request, res);
    }
  }

  @Test
  void optionalWhenConfiguredByTokenwardRulesThenAnonymousPassesAndABadTokenIsRefused() throws Exception {
    java.util.Map<String, String> env = java.util.Map.of("TOKENWARD_ISSUER", issuer.issuer(),
        "TOKENWARD_AUDIENCE", Issuers.AUDIENCE, "TOKENWARD_RULES", "/personal/*=optional, /api/*=authenticated");
    BearerTokenFilter filter = InitParams.read(InitParamsTest.config(java.util.Map.of()), env,
        new java.util.Properties()).build();
    try (JettyApp other = JettyApp.withFilter(filter, context -> { })) {
      assertThat(other.get("/personal/greeting").body()).contains("principal=none");
      assertThat(other.getWithToken("/personal/greeting", jwt(issuer).sign()).body())
          .contains("principal=TokenPrincipal:auth0|user-1");
      assertThat(other.getWithToken("/personal/greeting", jwt(issuer).expired().sign()).status()).isEqualTo(401);
      BearerTokenFilterTest.assertNoToken(other.get("/api/x"));
    }
  }
}
