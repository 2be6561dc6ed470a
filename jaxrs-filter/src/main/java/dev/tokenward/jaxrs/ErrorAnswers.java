package dev.tokenward.jaxrs;

import dev.tokenward.core.BearerErrorResponse;
import dev.tokenward.core.TokenValidationException;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a refused request with core's RFC 6750 answer, unchanged; its challenge names the metadata
 * URL that {@link MetadataFilter} put in the request property {@link #RESOURCE_METADATA_PROPERTY}.
 */
final class ErrorAnswers {
  private static final Logger log = LoggerFactory.getLogger(TokenwardFeature.class);
  /** The request property holding the RFC 9728 {@code resource_metadata} URL for this request's challenges. */
  static final String RESOURCE_METADATA_PROPERTY = "dev.tokenward.jaxrs.resource_metadata";

  private ErrorAnswers() {}

  /** Aborts the request with the answer for {@code failure}, and logs the reason (never the token). */
  static void abort(ContainerRequestContext request, TokenValidationException failure, String realm) {
    if (log.isDebugEnabled()) {
      log.debug("refused {} {}: {} ({})", request.getMethod(), path(request),
          failure.reason(), failure.description());
    }
    request.abortWith(toResponse(BearerErrorResponse.of(failure, realm, resourceMetadata(request))));
  }

  /** Aborts the request with 401 and a challenge without error code: it carried no bearer token. */
  static void abortMissingToken(ContainerRequestContext request, String realm) {
    if (log.isDebugEnabled()) {
      log.debug("refused {} {}: no bearer token", request.getMethod(), path(request));
    }
    request.abortWith(toResponse(BearerErrorResponse.missingToken(realm, resourceMetadata(request))));
  }

  private static String resourceMetadata(ContainerRequestContext request) {
    return request.getProperty(RESOURCE_METADATA_PROPERTY) instanceof String url ? url : null;
  }

  /** The request path with one leading slash: Jersey gives none, RESTEasy one. */
  static String path(ContainerRequestContext request) {
    String path = request.getUriInfo().getPath(false);
    return path.startsWith("/") ? path : "/" + path;
  }

  static Response toResponse(BearerErrorResponse answer) {
    Response.ResponseBuilder response = Response.status(answer.status());
    answer.headers().forEach((name, value) -> {
      if (!name.equals("WWW-Authenticate")) {
        response.header(name, value);
      }
    });
    answer.challenges().forEach(c -> response.header("WWW-Authenticate", c)); // one header per challenge (Bearer, DPoP)
    return response.entity(answer.body()).build();
  }
}
