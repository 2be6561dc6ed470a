package dev.tokenward.jaxrs.resources;

import dev.tokenward.core.RequiresScopes;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;

/** A public sub-resource locator handing over to a sub-resource with its own class rule. */
@Path("/locator")
public class LocatorResource {
  @Path("messages")
  @PermitAll
  public Messages messages() {
    return new Messages();
  }

  /** Its rule comes from its own class, not from the locator. */
  @RequiresScopes("read:messages")
  public static class Messages {
    @GET
    public String list(@Context SecurityContext security) {
      return Caller.describe(security);
    }
  }
}
