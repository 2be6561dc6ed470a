package dev.tokenward.jaxrs.resources;

import dev.tokenward.core.Authenticated;
import dev.tokenward.core.Requirement;
import dev.tokenward.core.RequiresGrants;
import dev.tokenward.core.RequiresPermissions;
import dev.tokenward.core.RequiresScopes;
import dev.tokenward.core.VerifiedToken;
import dev.tokenward.jaxrs.Tokens;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;

/** One method per rule; each answers with what it saw of the caller. */
@Path("/api")
public class ApiResource {
  @GET
  @Path("public")
  @PermitAll
  public String open(@Context SecurityContext security) {
    return "public " + Tokens.find(security).map(VerifiedToken::subject).orElse("anonymous");
  }

  @GET
  @Path("unannotated")
  public String unannotated(@Context SecurityContext security) {
    return "unannotated " + Tokens.find(security).map(VerifiedToken::subject).orElse("anonymous");
  }

  @GET
  @Path("private")
  @Authenticated
  public String authenticated(@Context SecurityContext security) {
    return Caller.describe(security);
  }

  @GET
  @Path("scoped")
  @RequiresScopes("read:messages")
  public String scoped(@Context SecurityContext security) {
    return Caller.describe(security);
  }

  @GET
  @Path("scoped-all")
  @RequiresScopes({"read:messages", "write:messages"})
  public String scopedAll(@Context SecurityContext security) {
    return Caller.describe(security);
  }

  @GET
  @Path("scoped-any")
  @RequiresScopes(value = {"write:messages", "read:messages"}, match = Requirement.Match.ANY)
  public String scopedAny(@Context SecurityContext security) {
    return Caller.describe(security);
  }

  @GET
  @Path("permission")
  @RequiresPermissions("admin:all")
  public String permission(@Context SecurityContext security) {
    return Caller.describe(security);
  }

  @GET
  @Path("permission-any")
  @RequiresPermissions(value = {"admin:all", "read:messages"}, match = Requirement.Match.ANY)
  public String permissionAny(@Context SecurityContext security) {
    return Caller.describe(security);
  }

  @GET
  @Path("roles")
  @RolesAllowed({"admin:all", "support"})
  public String roles(@Context SecurityContext security) {
    return Caller.describe(security);
  }

  @GET
  @Path("combined")
  @RequiresScopes("openid")
  @RequiresPermissions("admin:all")
  public String combined(@Context SecurityContext security) {
    return Caller.describe(security);
  }

  @GET
  @Path("grants")
  @RequiresGrants({"read:messages", "admin:all"})
  public String grants(@Context SecurityContext security) {
    return Caller.describe(security);
  }

  @GET
  @Path("scoped-online")
  @RequiresScopes(value = "openid", online = true)
  public String scopedOnline(@Context SecurityContext security) {
    return Caller.describe(security);
  }

  @GET
  @Path("online")
  @Authenticated(online = true)
  public String online(@Context SecurityContext security) {
    return Caller.describe(security);
  }

  @GET
  @Path("denied")
  @DenyAll
  public String denied() {
    return "never";
  }

  @POST
  @Path("form")
  @Authenticated
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  public String form(@FormParam("note") String note, @Context SecurityContext security) {
    return "note=" + note + " " + Caller.describe(security);
  }
}
