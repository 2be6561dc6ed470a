package dev.tokenward.jaxrs.resources;

import dev.tokenward.jaxrs.Tokens;
import jakarta.ws.rs.core.SecurityContext;

/** What a resource sees of its caller, as one line the tests compare. */
final class Caller {
  private Caller() {}

  static String describe(SecurityContext security) {
    return "name=" + security.getUserPrincipal().getName()
        + " sub=" + Tokens.from(security).subject()
        + " scheme=" + security.getAuthenticationScheme()
        + " secure=" + security.isSecure()
        + " read:messages=" + security.isUserInRole("read:messages")
        + " admin:all=" + security.isUserInRole("admin:all")
        + " support=" + security.isUserInRole("support");
  }
}
