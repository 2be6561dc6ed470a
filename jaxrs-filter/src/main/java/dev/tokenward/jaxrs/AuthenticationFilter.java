package dev.tokenward.jaxrs;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.BearerTokenExtractor;
import dev.tokenward.core.TokenValidationException;
import dev.tokenward.core.VerifiedToken;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
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

/**
 * Authenticates a request to a method that needs a token: finds the bearer token as RFC 6750
 * allows, validates it, and replaces the {@code SecurityContext}. Bound at
 * {@code Priorities.AUTHENTICATION} to exactly those methods, by {@link TokenwardFeature}.
 */
final class AuthenticationFilter implements ContainerRequestFilter {
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
    Optional<String> raw;
    VerifiedToken token;
    try {
      raw = extractor.extract(request.getHeaders().get(HttpHeaders.AUTHORIZATION),
          extractor.allowsQueryParameter() ? request.getUriInfo().getQueryParameters().get("access_token") : null,
          extractor.allowsFormParameter() ? formTokens(request) : null);
      if (raw.isEmpty()) {
        ErrorAnswers.abortMissingToken(request, realm);
        return;
      }
      token = online ? validator.validateOnline(raw.get()) : validator.validate(raw.get());
    } catch (TokenValidationException e) {
      ErrorAnswers.abort(request, e, realm);
      return;
    }
    request.setProperty(Tokens.PROPERTY, token);
    request.setSecurityContext(new TokenSecurityContext(token, request.getSecurityContext()));
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
