package dev.tokenward.jaxrs.resources;

import dev.tokenward.jaxrs.Tokens;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;

/** Shows the request property {@link Tokens#ATTRIBUTE} as the response header {@code X-Token-Subject}. */
public final class TokenPropertyHeader implements ContainerResponseFilter {
  @Override
  public void filter(ContainerRequestContext request, ContainerResponseContext response) {
    Tokens.find(request).ifPresent(t -> response.getHeaders().putSingle("X-Token-Subject", t.subject()));
  }
}
