package dev.tokenward.servlet;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.BearerErrorResponse;
import dev.tokenward.core.BearerTokenExtractor;
import dev.tokenward.core.ProtectedResourceMetadata;
import dev.tokenward.core.Reason;
import dev.tokenward.core.Requirement;
import dev.tokenward.core.ResourceMetadataEndpoint;
import dev.tokenward.core.StepUp;
import dev.tokenward.core.TokenPrincipal;
import dev.tokenward.core.TokenRequest;
import dev.tokenward.core.TokenValidationException;
import dev.tokenward.core.TokenwardConfig;
import dev.tokenward.core.VerifiedToken;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Protects Jakarta Servlet endpoints with bearer access tokens (RFC 6750). A request covered by a
 * {@link PathRule} or served by a servlet whose class is annotated with core's
 * {@link dev.tokenward.core.Authenticated @Authenticated}, {@link dev.tokenward.core.RequiresScopes @RequiresScopes},
 * {@link dev.tokenward.core.RequiresPermissions @RequiresPermissions} or
 * {@link dev.tokenward.core.RequiresGrants @RequiresGrants} must carry a valid token that grants what
 * both ask; any other request passes through untouched. Annotations are honoured on the servlet class
 * (or a superclass) only, not on its methods.
 *
 * <p>The request goes to core whole ({@link AccessTokenValidator#validate(TokenRequest)}): a
 * {@code Bearer} or {@code DPoP} token (RFC 9449), and the TLS client certificate
 * ({@code jakarta.servlet.request.X509Certificate}) for certificate-bound tokens (RFC 8705). A path
 * rule's leading word {@code dpop} or {@code sender-constrained}, or
 * {@link dev.tokenward.core.RequiresDpop @RequiresDpop} or
 * {@link dev.tokenward.core.RequiresSenderConstrained @RequiresSenderConstrained} on the servlet class,
 * demands a sender-constrained token for that endpoint whatever the issuer's DPoP policy allows; one
 * asking for DPoP where DPoP is off stops the filter at configuration or {@code init}, naming it.
 * A path rule {@code optional} ({@link PathRule#optional}) lets a request without credentials through
 * anonymously, as the JAX-RS feature's {@code @OptionalAuthentication} does; a token sent there must be valid.
 *
 * <p>A refused request gets the RFC 6750 answer built by {@link BearerErrorResponse} (401, 400,
 * 403 or 503) and never reaches the application. An accepted one is passed on wrapped:
 * {@code getUserPrincipal()} is a {@link dev.tokenward.core.TokenPrincipal}, {@code getAuthType()} is
 * {@value Tokens#AUTHENTICATION_SCHEME}, {@code isUserInRole(x)} is true when {@code x} is a granted scope or
 * permission, and the {@link VerifiedToken} is {@link Tokens#from Tokens.from(request)} (the request
 * attribute {@value Tokens#ATTRIBUTE}).
 *
 * <p>Given {@link Builder#resourceMetadata}, it also serves the resource's RFC 9728 metadata at
 * {@code GET /.well-known/oauth-protected-resource} (and the path-suffixed URL when the resource
 * identifier has a path) without a token, with the scopes its rules and servlet annotations name,
 * and every challenge carries that document's URL as {@code resource_metadata}. The document is
 * served only where the filter sees the path: mapped on {@code /*} of the root context.
 *
 * <p>Configure it with {@link #builder(AccessTokenValidator)} or {@link #builder(TokenwardConfig)}, or
 * create it with the no-argument constructor (as {@code web.xml} does): {@link #init} then reads
 * core's settings from its init-parameters, the system properties and the environment (in that
 * order of precedence), so {@code TOKENWARD_ISSUER} and {@code TOKENWARD_AUDIENCE} alone configure
 * it. The token is never logged.
 */
public final class BearerTokenFilter implements Filter {
  private static final Logger log = LoggerFactory.getLogger(BearerTokenFilter.class);
  private static final String PARAMETER = "access_token";

  private volatile Config config; // null until init() for a filter configured by init-parameters

  /** {@code metadata} is null when no RFC 9728 metadata is published. */
  private record Config(AccessTokenValidator validator, String realm, BearerTokenExtractor extractor,
      Protections protections, ResourceMetadataEndpoint metadata, boolean serveMetadata) {}

  /** For containers ({@code web.xml}): the configuration is read in {@link #init} from init-parameters and the environment. */
  public BearerTokenFilter() {}

  private BearerTokenFilter(Config config) {
    this.config = config;
  }

  /** Starts a programmatic configuration around a validator built once for the service. */
  public static Builder builder(AccessTokenValidator validator) {
    return new Builder(validator);
  }

  /**
   * Starts a configuration from core's settings model: the validator, {@code realm},
   * {@code allow-query-token}, {@code allow-form-token} and the path {@code rules} of
   * {@code config} (see {@link TokenwardConfig}); more rules may be added before {@code build()}.
   *
   * @throws dev.tokenward.core.ConfigurationException naming the setting at fault
   */
  public static Builder builder(TokenwardConfig config) {
    return InitParams.builder(config);
  }

  @Override
  public void init(FilterConfig filterConfig) throws ServletException {
    boolean hasParams = InitParams.present(filterConfig);
    if (config == null) {
      try {
        config = InitParams.read(filterConfig, System.getenv(), System.getProperties()).config();
      } catch (IllegalArgumentException e) { // a rule the configuration cannot honour, such as 'step-up' without a policy
        throw new ServletException("tokenward " + e.getMessage(), e);
      }
    } else if (hasParams) {
      throw new ServletException("tokenward init-param '" + filterConfig.getInitParameterNames().nextElement()
          + "': this filter was configured programmatically, init-parameters would be ignored");
    }
    try {
      config.protections.checkAnnotatedServlets(filterConfig.getServletContext());
    } catch (IllegalStateException e) {
      throw new ServletException(e.getMessage(), e);
    }
    warnAboutExactRulesUnderWildcards(filterConfig);
  }

  /** One WARN per exact rule that a wildcard servlet mapping extends (see {@link PathRule}). */
  private void warnAboutExactRulesUnderWildcards(FilterConfig filterConfig) {
    Map<String, Collection<String>> mappings = new HashMap<>();
    try {
      filterConfig.getServletContext().getServletRegistrations()
          .forEach((name, registration) -> mappings.put(name, registration.getMappings()));
    } catch (RuntimeException e) { // UnsupportedOperationException from a context that hides them
      log.debug("servlet mappings cannot be read to check the path rules against them: {}", e.toString());
      return;
    }
    config.protections.exactRulesUnderWildcardMappings(mappings).forEach(log::warn);
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    Config c = config;
    if (c == null) {
      throw new ServletException("BearerTokenFilter used before init()");
    }
    if (!(req instanceof HttpServletRequest request) || !(res instanceof HttpServletResponse response)) {
      chain.doFilter(req, res);
      return;
    }
    if (c.serveMetadata && c.metadata != null && c.metadata.serves(request.getRequestURI())) {
      serveMetadata(request, response, c);
      return;
    }
    Protections.Protection needed = c.protections.forRequest(request);
    if (needed == null) {
      chain.doFilter(request, response);
      return;
    }
    VerifiedToken token;
    TokenRequest tokenRequest = null;
    try {
      tokenRequest = tokenRequest(request, c, needed);
      if (needed.optional()) { // optional authentication: anonymous without credentials, a present token must be valid
        token = c.validator.validateIfPresent(tokenRequest).orElse(null);
      } else {
        token = c.validator.validate(tokenRequest); // Bearer or DPoP (RFC 9449), certificate binding (RFC 8705)
      }
      if (token != null) {
        needed.check(token);
      }
    } catch (TokenValidationException e) {
      if (tokenRequest == null) { // refused before core saw the request: counted by the listener all the same
        c.validator.refusedBeforeValidation(e);
      }
      refuse(request, response, BearerErrorResponse.of(tokenRequest == null ? e : c.validator.withChallenge(tokenRequest, e),
          c.realm, metadataUrl(request, c)));
      return;
    }
    if (token == null) { // anonymous on an optional path: served as it came, no principal
      chain.doFilter(request, response);
      return;
    }
    c.validator.dpopNonce(tokenRequest).ifPresent(nonce -> response.setHeader("DPoP-Nonce", nonce));
    request.setAttribute(Tokens.ATTRIBUTE, token);
    chain.doFilter(new BearerTokenRequest(request, new TokenPrincipal(token)), response);
  }

  /**
   * What core needs of the request: method, URL, the raw {@code Authorization} and {@code DPoP}
   * headers, the TLS client certificate, and the proxy's certificate header when one is configured.
   * A token allowed in the query or form body is passed on as a {@code Bearer} credential.
   */
  private static TokenRequest tokenRequest(HttpServletRequest request, Config c, Protections.Protection needed)
      throws TokenValidationException {
    List<String> authorization = Collections.list(request.getHeaders("Authorization"));
    // RFC 6750 placement rules. Header only (the default): the header goes to core as it came, and core's check of it
    // (one Authorization header, a Bearer or DPoP scheme, a b64token) is the only one, refusing as the extractor would
    // (same reason, description and challenge); with the query or the form body allowed, every place is read here
    // and a token from a parameter is passed on as a Bearer credential.
    if (c.extractor.allowsQueryParameter() || c.extractor.allowsFormParameter()) {
      authorization = withParameterToken(request, c.extractor, authorization);
    }
    TokenRequest.Builder b;
    try {
      b = TokenRequest.builder(request.getMethod(), request.getRequestURL().toString());
    } catch (IllegalArgumentException e) {
      throw new TokenValidationException(Reason.INVALID_REQUEST, "the request's method or URL cannot be read: "
          + e.getMessage());
    }
    b.authorization(authorization).dpopProofs(Collections.list(request.getHeaders("DPoP"))).online(needed.online());
    if (needed.senderConstraint() != null) { // a path rule or annotation asks for DPoP, or DPoP or mTLS
      b.senderConstraint(needed.senderConstraint());
    }
    if (request.getAttribute("jakarta.servlet.request.X509Certificate") instanceof X509Certificate[] chain
        && chain.length > 0) {
      b.clientCertificate(chain[0]);
    }
    Optional<String> proxyHeader = c.validator.clientCertificateHeader();
    if (proxyHeader.isPresent()) {
      b.clientCertificateHeader(Collections.list(request.getHeaders(proxyHeader.get())));
    }
    return b.build();
  }

  /** RFC 9728: the document on GET, a CORS preflight's answer on OPTIONS, 405 otherwise; never a token check. */
  private static void serveMetadata(HttpServletRequest request, HttpServletResponse response, Config c) throws IOException {
    String method = request.getMethod();
    if ("OPTIONS".equals(method)) {
      response.setStatus(HttpServletResponse.SC_NO_CONTENT);
      response.setHeader("Access-Control-Allow-Origin", "*");
      response.setHeader("Access-Control-Allow-Methods", "GET");
      response.setHeader("Allow", "GET, OPTIONS");
      return;
    }
    if (!"GET".equals(method)) {
      response.setHeader("Allow", "GET, OPTIONS");
      response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
      return;
    }
    String json;
    try {
      json = c.metadata.document(origin(request), () -> c.protections.scopesNamed(request.getServletContext()));
    } catch (IllegalArgumentException e) { // a Host the resource identifier cannot be built from
      response.sendError(HttpServletResponse.SC_BAD_REQUEST);
      return;
    }
    response.setStatus(HttpServletResponse.SC_OK);
    c.metadata.headers().forEach(response::setHeader);
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  private static String metadataUrl(HttpServletRequest request, Config c) {
    return c.metadata == null ? null : c.metadata.metadataUrl(origin(request));
  }

  private static String origin(HttpServletRequest request) {
    return ResourceMetadataEndpoint.origin(request.getScheme(), request.getServerName(), request.getServerPort());
  }

  /** The Authorization values for core, reading the query and form body only where enabled ({@link BearerTokenExtractor#authorization}). */
  private static List<String> withParameterToken(HttpServletRequest request, BearerTokenExtractor extractor,
      List<String> headers) throws TokenValidationException {
    boolean form = extractor.allowsFormParameter() && !"GET".equals(request.getMethod()) && request.getContentType() != null
        && request.getContentType().toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded");
    List<String> query = extractor.allowsQueryParameter() || form ? queryValues(request.getQueryString()) : List.of();
    List<String> body = List.of();
    if (form) { // getParameterValues lists the query string's values first, then the body's (Servlet spec 3.1)
      String[] all = request.getParameterValues(PARAMETER);
      body = all == null ? List.of() : Arrays.asList(all).subList(Math.min(query.size(), all.length), all.length);
    }
    return extractor.authorization(headers, query, body);
  }

  private static List<String> queryValues(String queryString) throws TokenValidationException {
    List<String> values = new ArrayList<>(1);
    if (queryString == null) {
      return values;
    }
    try {
      for (String pair : queryString.split("&")) {
        int eq = pair.indexOf('=');
        String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        if (name.equals(PARAMETER)) {
          values.add(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    } catch (IllegalArgumentException e) {
      throw new TokenValidationException(Reason.INVALID_REQUEST, "the query string is not validly percent-encoded");
    }
    return values;
  }

  /** Writes core's RFC 6750 answer as it is; logs the challenge (which never holds the token), not the request's query. */
  private static void refuse(HttpServletRequest request, HttpServletResponse response, BearerErrorResponse answer)
      throws IOException {
    if (log.isDebugEnabled()) {
      log.debug("{} {} refused with {}: {}", request.getMethod(), Protections.pathWithinApplication(request),
          answer.status(), answer.challenge());
    }
    response.setStatus(answer.status());
    answer.headers().forEach(response::setHeader);
    List<String> challenges = answer.challenges(); // one WWW-Authenticate header per challenge (Bearer, DPoP)
    for (int i = 0; i < challenges.size(); i++) {
      if (i == 0) {
        response.setHeader("WWW-Authenticate", challenges.get(0));
      } else {
        response.addHeader("WWW-Authenticate", challenges.get(i));
      }
    }
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /** Programmatic configuration; {@link #build()} gives a filter ready for {@code ServletContext.addFilter}. */
  public static final class Builder {
    private final AccessTokenValidator validator;
    private final List<PathRule> rules = new ArrayList<>();
    private final Set<String> patterns = new HashSet<>();
    private String realm = BearerErrorResponse.DEFAULT_REALM;
    private boolean allowQueryToken;
    private boolean allowFormToken;
    private ProtectedResourceMetadata metadata;
    private boolean serveMetadata = true;
    private StepUp stepUp;

    private Builder(AccessTokenValidator validator) {
      this.validator = Objects.requireNonNull(validator, "validator");
    }

    /** The {@code realm} of the {@code WWW-Authenticate} challenge; default {@code tokenward}. */
    public Builder realm(String realm) {
      if (realm == null || realm.isBlank()) {
        throw new IllegalArgumentException("realm: must not be empty");
      }
      this.realm = realm;
      return this;
    }

    /** Also accept the token as an {@code access_token} query parameter (RFC 6750 2.3); default false: URLs end up in logs. */
    public Builder allowQueryToken(boolean allow) {
      this.allowQueryToken = allow;
      return this;
    }

    /** Also accept the token as an {@code access_token} field of a form-encoded body (RFC 6750 2.2); default false. */
    public Builder allowFormToken(boolean allow) {
      this.allowFormToken = allow;
      return this;
    }

    /**
     * Publishes the RFC 9728 metadata document (off by default): the filter serves it and every
     * challenge carries its URL as {@code resource_metadata}, as the Model Context Protocol requires.
     * Start from {@code ProtectedResourceMetadata.builder(validator)} (the validator's issuers as
     * {@code authorization_servers}); without a {@code resource} the identifier is taken from each
     * request's origin. The scopes of the path rules and servlet annotations are added to it, and
     * {@code body}/{@code query} to {@code bearer_methods_supported} where those are allowed.
     */
    public Builder resourceMetadata(ProtectedResourceMetadata metadata) {
      this.metadata = Objects.requireNonNull(metadata, "resourceMetadata");
      return this;
    }

    /**
     * Whether this filter answers {@code GET /.well-known/oauth-protected-resource} itself once
     * {@link #resourceMetadata} is given; default true. Turn it off when the application serves the
     * document (with {@link ProtectedResourceMetadata#toJson()}); challenges still point to it.
     */
    public Builder serveResourceMetadata(boolean serve) {
      this.serveMetadata = serve;
      return this;
    }

    /**
     * The step-up policy (RFC 9470) that a {@link dev.tokenward.core.RequiresStepUp @RequiresStepUp}
     * without attributes and a path rule's {@code step-up} word stand for, so its values can come from
     * configuration (the settings {@code step-up-acr} and {@code step-up-max-age-seconds} set it).
     * Without it such an annotation fails the request's servlet at first use, naming the class, and
     * such a rule fails {@link #build()}.
     */
    public Builder stepUp(StepUp stepUp) {
      this.stepUp = Objects.requireNonNull(stepUp, "stepUp");
      return this;
    }

    /**
     * Adds a path rule; one rule per pattern.
     *
     * @throws IllegalArgumentException for a second rule for the same path, and for a rule that asks
     *     for DPoP ({@code dpop}) when DPoP is off for an issuer of the validator: it could never be met
     */
    public Builder rule(PathRule rule) {
      Objects.requireNonNull(rule, "rule");
      if (rule.senderConstraint().isPresent()) {
        try {
          rule.senderConstraint().get().checkEnforceableBy(validator, "path rule " + rule.pattern());
        } catch (IllegalStateException e) {
          throw new IllegalArgumentException(e.getMessage(), e);
        }
      }
      if (!patterns.add(rule.isPrefix() ? rule.pattern() : rule.base())) {
        throw new IllegalArgumentException("rule " + rule.pattern() + ": a rule for this path is already configured");
      }
      rules.add(rule);
      return this;
    }

    /**
     * Paths with optional authentication ({@link PathRule#optional}): anonymous requests pass, a
     * token that is present must be valid.
     */
    public Builder optional(String... patterns) {
      for (String p : patterns) {
        rule(PathRule.optional(p));
      }
      return this;
    }

    /** Paths that need any valid token. */
    public Builder authenticated(String... patterns) {
      for (String p : patterns) {
        rule(PathRule.authenticated(p));
      }
      return this;
    }

    /** A path that needs a valid token satisfying {@code requirement}. */
    public Builder require(String pattern, Requirement requirement) {
      return rule(PathRule.requiring(pattern, requirement));
    }

    /**
     * The filter, ready to register with the container.
     *
     * @return a new filter with this builder's rules and options
     * @throws IllegalArgumentException naming the rule, for a {@code step-up} rule and no {@link #stepUp} policy
     */
    public BearerTokenFilter build() {
      return new BearerTokenFilter(config());
    }

    Config config() {
      Protections protections = new Protections(rules, stepUp, validator);
      ResourceMetadataEndpoint endpoint = null;
      if (metadata != null) {
        ProtectedResourceMetadata.Builder document = metadata.toBuilder();
        if (allowFormToken) {
          document.bearerMethod("body");
        }
        if (allowQueryToken) {
          document.bearerMethod("query");
        }
        endpoint = new ResourceMetadataEndpoint(document.build());
      }
      return new Config(validator, realm, BearerTokenExtractor.of(allowQueryToken, allowFormToken), protections,
          endpoint, serveMetadata);
    }
  }

  /** The request's URL without its query, or null if the container hands over one that is not a URI. */
  private static java.net.URI requestUri(HttpServletRequest request) {
    try {
      return java.net.URI.create(request.getRequestURL().toString());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
