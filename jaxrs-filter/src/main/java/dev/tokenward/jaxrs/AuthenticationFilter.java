package dev.tokenward.jaxrs;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.BearerTokenExtractor;
import dev.tokenward.core.Reason;
import dev.tokenward.core.TokenRequest;
import dev.tokenward.core.TokenValidationException;
import dev.tokenward.core.VerifiedToken;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a request needs and authenticates it if a token is needed: the resource method's
 * rule, and (after a sub-resource locator) the rules on the way to it, from {@link LocatorChain}.
 * For a request that needs a token it hands core the request (the token as RFC 6750 allows, a DPoP
 * proof as RFC 9449 asks), and replaces the {@code SecurityContext}. Bound at {@code Priorities.AUTHENTICATION} to every resource
 * method by {@link TokenwardFeature}; the decided rule is left in the request property
 * {@link #RULE_PROPERTY} for the {@link AuthorizationFilter}.
 */
final class AuthenticationFilter implements ContainerRequestFilter, ContainerResponseFilter {
  /** The request property holding the {@link AccessRule} decided for the request. */
  static final String RULE_PROPERTY = AccessRule.class.getName();
  /** Request property: how a later refusal (a missing scope) gets this request's challenge (Bearer or DPoP). */
  static final String CHALLENGE_PROPERTY = "dev.tokenward.jaxrs.challenge";
  /** Request property: a fresh DPoP server nonce for the answer, when nonces are on. */
  static final String NONCE_PROPERTY = "dev.tokenward.jaxrs.dpopNonce";

  private static final Logger log = LoggerFactory.getLogger(TokenwardFeature.class);

  private final AccessTokenValidator validator;
  private final BearerTokenExtractor extractor;
  private final String realm;
  private final AccessRule rule;
  private final LocatorChain locators;
  private final int maxFormBodyBytes;

  AuthenticationFilter(AccessTokenValidator validator, BearerTokenExtractor extractor, int maxFormBodyBytes, String realm,
      AccessRule rule, LocatorChain locators) {
    this.validator = validator;
    this.maxFormBodyBytes = maxFormBodyBytes;
    this.extractor = extractor;
    this.realm = realm;
    this.rule = rule;
    this.locators = locators;
  }

  @Override
  public void filter(ContainerRequestContext request) throws IOException {
    AccessRule needed = rule;
    List<Object> matched = request.getUriInfo().getMatchedResources();
    if (matched != null && matched.size() > 1) { // reached through a sub-resource locator
      try {
        needed = locators.effective(request.getUriInfo(), matched, rule);
      } catch (RuntimeException e) { // cannot tell what the chain needs: refuse, never pass
        log.error("{} {}: {}", request.getMethod(), ErrorAnswers.path(request), e.getMessage());
        request.abortWith(Response.serverError().build());
        return;
      }
    }
    request.setProperty(RULE_PROPERTY, needed);
    if (needed.kind == AccessRule.Kind.PUBLIC) {
      return;
    }
    VerifiedToken token;
    TokenRequest tokenRequest = null;
    try {
      tokenRequest = tokenRequest(request, needed);
      if (needed.kind == AccessRule.Kind.OPTIONAL) {
        // optional authentication: anonymous without credentials (not a refusal to count), a present token must be valid
        Optional<VerifiedToken> present = validator.validateIfPresent(tokenRequest);
        if (present.isEmpty()) {
          return;
        }
        token = present.get();
      } else {
        token = validator.validate(tokenRequest); // Bearer or DPoP (RFC 9449), certificate binding (RFC 8705)
      }
    } catch (TokenValidationException e) {
      if (tokenRequest == null) { // refused before core saw the request: counted by the listener all the same
        validator.refusedBeforeValidation(e);
      }
      ErrorAnswers.abort(request, tokenRequest == null ? e : validator.withChallenge(tokenRequest, e), realm);
      return;
    }
    TokenRequest validated = tokenRequest;
    request.setProperty(CHALLENGE_PROPERTY, (UnaryOperator<TokenValidationException>) e -> validator.withChallenge(validated, e));
    validator.dpopNonce(tokenRequest).ifPresent(nonce -> request.setProperty(NONCE_PROPERTY, nonce));
    request.setProperty(Tokens.ATTRIBUTE, token);
    RestEasyBinding.offer(token);
    request.setSecurityContext(new TokenSecurityContext(token, request.getSecurityContext()));
  }

  /** Offers the fresh DPoP server nonce on the answer of an accepted request (RFC 9449 section 8.2), when nonces are on. */
  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (request.getProperty(NONCE_PROPERTY) instanceof String nonce && !response.getHeaders().containsKey("DPoP-Nonce")) {
      response.getHeaders().putSingle("DPoP-Nonce", nonce);
    }
  }

  /** The request property a servlet container (and Grizzly, and Undertow) gives the TLS client certificate chain in. */
  static final String CERTIFICATE_PROPERTY = "jakarta.servlet.request.X509Certificate";

  /**
   * What core needs of the request: method, URI, the raw {@code Authorization} and {@code DPoP}
   * headers, the TLS client certificate where the runtime offers it, the proxy's certificate header
   * when one is configured, and the rule's sender constraint. A token allowed in the query or form
   * body is passed on as a {@code Bearer} credential.
   */
  private TokenRequest tokenRequest(ContainerRequestContext request, AccessRule needed)
      throws TokenValidationException, IOException {
    List<String> authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
    authorization = authorization == null ? List.of() : authorization;
    // RFC 6750 placement rules. Header only (the default): the header goes to core as it came, and core's check of it
    // (one Authorization header, a Bearer or DPoP scheme, a b64token) is the only one, refusing as the extractor would
    // (same reason, description and challenge); with the query or the form body allowed, every place is read here
    // and a token from a parameter is passed on as a Bearer credential.
    if (extractor.allowsQueryParameter() || extractor.allowsFormParameter()) {
      authorization = extractor.authorization(authorization,
          extractor.allowsQueryParameter() ? request.getUriInfo().getQueryParameters().get("access_token") : null,
          extractor.allowsFormParameter() ? formTokens(request) : null);
    }
    TokenRequest.Builder b;
    try {
      b = TokenRequest.builder(request.getMethod(), request.getUriInfo().getRequestUri().toString());
    } catch (IllegalArgumentException e) {
      throw new TokenValidationException(Reason.INVALID_REQUEST, "the request's method or URL cannot be read: "
          + e.getMessage());
    }
    b.authorization(authorization).dpopProofs(request.getHeaders().get("DPoP")).online(needed.online);
    if (needed.senderConstraint != null) { // @RequiresDpop or @RequiresSenderConstrained on the way
      b.senderConstraint(needed.senderConstraint);
    }
    X509Certificate certificate = clientCertificate(request.getProperty(CERTIFICATE_PROPERTY));
    if (certificate != null) {
      b.clientCertificate(certificate);
    }
    Optional<String> proxyHeader = validator.clientCertificateHeader();
    if (proxyHeader.isPresent()) {
      b.clientCertificateHeader(request.getHeaders().get(proxyHeader.get()));
    }
    return b.build();
  }

  /**
   * The client's own certificate (the first of the chain) from the servlet-style request property:
   * an {@code X509Certificate[]} on servlet containers and Undertow, an array typed {@code Object[]}
   * on some runtimes, or a single certificate; null when the connection has none.
   */
  static X509Certificate clientCertificate(Object property) {
    if (property instanceof X509Certificate c) {
      return c;
    }
    if (property instanceof Object[] chain && chain.length > 0 && chain[0] instanceof X509Certificate c) {
      return c;
    }
    return null;
  }

  /**
   * The {@code access_token} values of a form-encoded body (RFC 6750 section 2.2). The body is
   * read and put back, so the resource still gets it; at most {@code maxFormBodyBytes} are read, a
   * larger body is refused before it is held in memory (a declared {@code Content-Length} above the
   * limit before any is read).
   */
  private List<String> formTokens(ContainerRequestContext request) throws IOException, TokenValidationException {
    if (!request.hasEntity() || HttpMethod.GET.equals(request.getMethod())
        || !MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(request.getMediaType())) {
      return null;
    }
    if (request.getLength() > maxFormBodyBytes) {
      throw formBodyTooLarge();
    }
    byte[] body;
    InputStream in = request.getEntityStream();
    body = in.readNBytes(maxFormBodyBytes + 1);
    if (body.length > maxFormBodyBytes) {
      throw formBodyTooLarge();
    }
    request.setEntityStream(new ByteArrayInputStream(body));
    List<String> tokens = new ArrayList<>(1);
    for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      if (decode(name).equals("access_token")) {
        tokens.add(eq < 0 ? "" : decode(pair.substring(eq + 1)));
      }
    }
    return tokens;
  }

  private TokenValidationException formBodyTooLarge() {
    return new TokenValidationException(Reason.INVALID_REQUEST, "the form body is larger than " + maxFormBodyBytes
        + " bytes, the most read to look for an access_token parameter; send the token in the Authorization header");
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s; // a broken escape: keep the raw text, the extractor refuses it as outside b64token
    }
  }
}
