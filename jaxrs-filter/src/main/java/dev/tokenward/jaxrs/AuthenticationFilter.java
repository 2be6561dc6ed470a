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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Authenticates a request to a method that needs a token: hands core the request (the token as
 * RFC 6750 allows, a DPoP proof as RFC 9449 asks), and replaces the {@code SecurityContext}. Bound at
 * {@code Priorities.AUTHENTICATION} to exactly those methods, by {@link TokenwardFeature}.
 */
final class AuthenticationFilter implements ContainerRequestFilter, ContainerResponseFilter {
  /** Request property: how a later refusal (a missing scope) gets this request's challenge (Bearer or DPoP). */
  static final String CHALLENGE_PROPERTY = "dev.tokenward.jaxrs.challenge";
  /** Request property: a fresh DPoP server nonce for the answer, when nonces are on. */
  static final String NONCE_PROPERTY = "dev.tokenward.jaxrs.dpopNonce";
  private final AccessTokenValidator validator;
  private final BearerTokenExtractor extractor;
  private final String realm;
  private final boolean online;

  AuthenticationFilter(AccessTokenValidator validator, BearerTokenExtractor extractor, String realm, boolean online) {
    this.validator = validator;
    this.extractor = extractor;
    this.realm = realm;
    this.online = online;
  }

  @Override
  public void filter(ContainerRequestContext request) throws IOException {
    VerifiedToken token;
    TokenRequest tokenRequest = null;
    try {
      tokenRequest = tokenRequest(request);
      token = validator.validate(tokenRequest); // Bearer or DPoP (RFC 9449), certificate binding (RFC 8705)
    } catch (TokenValidationException e) {
      ErrorAnswers.abort(request, tokenRequest == null ? e : validator.withChallenge(tokenRequest, e), realm);
      return;
    }
    TokenRequest validated = tokenRequest;
    request.setProperty(CHALLENGE_PROPERTY, (UnaryOperator<TokenValidationException>) e -> validator.withChallenge(validated, e));
    validator.dpopNonce(tokenRequest).ifPresent(nonce -> request.setProperty(NONCE_PROPERTY, nonce));
    request.setProperty(Tokens.PROPERTY, token);
    request.setSecurityContext(new TokenSecurityContext(token, request.getSecurityContext()));
  }

  /** Offers the fresh DPoP server nonce on the answer of an accepted request (RFC 9449 section 8.2), when nonces are on. */
  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    if (request.getProperty(NONCE_PROPERTY) instanceof String nonce && !response.getHeaders().containsKey("DPoP-Nonce")) {
      response.getHeaders().putSingle("DPoP-Nonce", nonce);
    }
  }

  /**
   * What core needs of the request: method, URI, the raw {@code Authorization} and {@code DPoP}
   * headers, and the proxy's certificate header when one is configured. A token allowed in the
   * query or form body is passed on as a {@code Bearer} credential.
   */
  private TokenRequest tokenRequest(ContainerRequestContext request) throws TokenValidationException, IOException {
    List<String> authorization = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
    authorization = authorization == null ? List.of() : authorization;
    Optional<String> extracted = extractor.extract(authorization,
        extractor.allowsQueryParameter() ? request.getUriInfo().getQueryParameters().get("access_token") : null,
        extractor.allowsFormParameter() ? formTokens(request) : null);
    if (extracted.isPresent() && extractor.extract(authorization).isEmpty()) { // from the query or the form body
      if (!authorization.isEmpty()) {
        throw new TokenValidationException(Reason.INVALID_REQUEST,
            "the request carries credentials in the Authorization header and a token in a parameter; send exactly one");
      }
      authorization = List.of("Bearer " + extracted.get());
    }
    TokenRequest.Builder b;
    try {
      b = TokenRequest.builder(request.getMethod(), request.getUriInfo().getRequestUri().toString());
    } catch (IllegalArgumentException e) {
      throw new TokenValidationException(Reason.INVALID_REQUEST, "the request's method or URL cannot be read: "
          + e.getMessage());
    }
    b.authorization(authorization).dpopProofs(request.getHeaders().get("DPoP")).online(online);
    Optional<String> proxyHeader = validator.clientCertificateHeader();
    if (proxyHeader.isPresent()) {
      b.clientCertificateHeader(request.getHeaders().get(proxyHeader.get()));
    }
    return b.build();
  }

  /**
   * The {@code access_token} values of a form-encoded body (RFC 6750 section 2.2). The body is
   * read and put back, so the resource still gets it.
   */
  private static List<String> formTokens(ContainerRequestContext request) throws IOException {
    if (!request.hasEntity() || HttpMethod.GET.equals(request.getMethod())
        || !MediaType.APPLICATION_FORM_URLENCODED_TYPE.isCompatible(request.getMediaType())) {
      return null;
    }
    byte[] body;
    try (InputStream in = request.getEntityStream()) {
      body = in.readAllBytes();
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

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s; // a broken escape: keep the raw text, the extractor refuses it as outside b64token
    }
  }
}
