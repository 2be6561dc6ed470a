package dev.tokenward.jaxrs.resources;

import dev.tokenward.core.Authenticated;
import dev.tokenward.core.RequiresPermissions;
import dev.tokenward.core.RequiresScopes;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;

/** A class rule, and methods that keep or replace it. */
@Path("/admin")
@RequiresPermissions("admin:all")
public class AdminResource {
  @GET
  public String classRule(@Context SecurityContext security) {
    return Caller.describe(security);
  }

  @GET
  @Path("readers")
  @RequiresScopes("read:messages")
  public String methodRule(@Context SecurityContext security) {
    return Caller.describe(security);
  }

  @GET
  @Path("any-token")
  @Authenticated
  public String anyToken(@Context SecurityContext security) {
    return Caller.describe(security);
  }

  @GET
  @Path("status")
  @PermitAll
  public String status() {
    return "up";
  }
}
