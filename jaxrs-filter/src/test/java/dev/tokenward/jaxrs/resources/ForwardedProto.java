package dev.tokenward.jaxrs.resources;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.SecurityContext;
import java.security.Principal;

/** Like a proxy-aware filter: marks the request secure when {@code X-Forwarded-Proto: https}. */
@PreMatching
public final class ForwardedProto implements ContainerRequestFilter {
  @Override
  public void filter(ContainerRequestContext request) {
    if ("https".equals(request.getHeaderString("X-Forwarded-Proto"))) {
      SecurityContext original = request.getSecurityContext();
      request.setSecurityContext(new SecurityContext() {
        @Override
        public Principal getUserPrincipal() {
          return original.getUserPrincipal();
        }

        @Override
        public boolean isUserInRole(String role) {
          return original.isUserInRole(role);
        }

        @Override
        public boolean isSecure() {
          return true;
        }

        @Override
        public String getAuthenticationScheme() {
          return original.getAuthenticationScheme();
        }
      });
    }
  }
}
