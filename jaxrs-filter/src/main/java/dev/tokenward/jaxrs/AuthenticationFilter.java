package dev.tokenward.jaxrs;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.BearerTokenExtractor;
import dev.tokenward.core.Reason;
import dev.tokenward.core.TokenValidationException;
import dev.tokenward.core.VerifiedToken;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a request needs and authenticates it if a token is needed: the resource method's
 * rule, and (after a sub-resource locator) the rules on the way to it, from {@link LocatorChain}.
 * For a request that needs a token it finds the bearer token as RFC 6750 allows, validates it, and
 * replaces the {@code SecurityContext}. Bound at {@code Priorities.AUTHENTICATION} to every resource
 * method by {@link TokenwardFeature}; the decided rule is left in the request property
 * {@link #RULE_PROPERTY} for the {@link AuthorizationFilter}.
 */
final class AuthenticationFilter implements ContainerRequestFilter {
  /** The request property holding the {@link AccessRule} decided for the request. */
  static final String RULE_PROPERTY = AccessRule.class.getName();

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
    Optional<String> raw;
    VerifiedToken token;
    try {
      raw = extractor.extract(request.getHeaders().get(HttpHeaders.AUTHORIZATION),
          extractor.allowsQueryParameter() ? request.getUriInfo().getQueryParameters().get("access_token") : null,
          extractor.allowsFormParameter() ? formTokens(request) : null);
      if (raw.isEmpty()) {
        if (needed.kind != AccessRule.Kind.OPTIONAL) {
          ErrorAnswers.abortMissingToken(request, realm);
        }
        return; // optional authentication: anonymous
      }
      java.net.URI uri = request.getUriInfo().getRequestUri(); // lets an OpaqueTokenResolver choose the issuer
      token = needed.online ? validator.validateOnline(raw.get(), uri) : validator.validate(raw.get(), uri);
    } catch (TokenValidationException e) {
      ErrorAnswers.abort(request, e, realm);
      return;
    }
    request.setProperty(Tokens.ATTRIBUTE, token);
    RestEasyBinding.offer(token);
    request.setSecurityContext(new TokenSecurityContext(token, request.getSecurityContext()));
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
