package dev.tokenward.jaxrs;

import dev.tokenward.core.ResourceMetadataEndpoint;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Collection;
import java.util.function.Supplier;

/**
 * RFC 9728 for the JAX-RS feature, before any resource is matched: answers
 * {@code GET /.well-known/oauth-protected-resource} (and the path-suffixed URL) with the metadata
 * document, no token needed, and gives every other request the {@code resource_metadata} URL its
 * challenges will carry ({@link ErrorAnswers#RESOURCE_METADATA_PROPERTY}).
 */
@PreMatching
final class MetadataFilter implements ContainerRequestFilter {
  private final ResourceMetadataEndpoint endpoint;
  private final boolean serve;
  private final Supplier<? extends Collection<String>> scopes;

  MetadataFilter(ResourceMetadataEndpoint endpoint, boolean serve, Supplier<? extends Collection<String>> scopes) {
    this.endpoint = endpoint;
    this.serve = serve;
    this.scopes = scopes;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    URI uri = request.getUriInfo().getRequestUri();
    String origin = ResourceMetadataEndpoint.origin(uri.getScheme(), uri.getHost(), uri.getPort());
    if (serve && endpoint.serves(uri.getRawPath())) {
      String method = request.getMethod();
      if (HttpMethod.OPTIONS.equals(method)) {
        request.abortWith(Response.noContent().header("Access-Control-Allow-Origin", "*")
            .header("Access-Control-Allow-Methods", "GET").header("Allow", "GET, OPTIONS").build());
      } else if (!HttpMethod.GET.equals(method)) {
        request.abortWith(Response.status(Response.Status.METHOD_NOT_ALLOWED).header("Allow", "GET, OPTIONS").build());
      } else {
        String json;
        try {
          json = endpoint.document(origin, scopes);
        } catch (IllegalArgumentException e) { // a Host the resource identifier cannot be built from
          request.abortWith(Response.status(Response.Status.BAD_REQUEST).build());
          return;
        }
        Response.ResponseBuilder ok = Response.ok(json);
        endpoint.headers().forEach(ok::header);
        request.abortWith(ok.build());
      }
      return;
    }
    String url = endpoint.metadataUrl(origin);
    if (url != null) {
      request.setProperty(ErrorAnswers.RESOURCE_METADATA_PROPERTY, url);
    }
  }
}
