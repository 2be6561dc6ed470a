package dev.tokenward.jaxrs.resources;

import dev.tokenward.core.RequiresPermissions;
import dev.tokenward.core.RequiresScopes;
import dev.tokenward.core.VerifiedToken;
import dev.tokenward.jaxrs.Tokens;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;

/**
 * Sub-resource locators whose rules no runtime passes to a {@code DynamicFeature} (issue #10 item 1):
 * annotations on the locator methods, and on a root class that has nothing but a locator.
 */
public final class Locators {
  private Locators() {}

  /** The sub-resource: a plain {@code @GET} without any annotation of its own. */
  public static class Plain {
    @GET
    public String get(@Context SecurityContext security) {
      return "plain " + Tokens.find(security).map(VerifiedToken::subject).orElse("anonymous");
    }

    /** A second level: a locator here leads to {@link Plain} again. */
    @Path("deeper")
    @RequiresPermissions("deep:read")
    public Plain deeper() {
      return new Plain();
    }
  }

  /** A sub-resource that declares its own class rule. */
  @RequiresScopes("read:messages")
  public static class Scoped {
    @GET
    public String get(@Context SecurityContext security) {
      return "scoped " + Tokens.from(security).subject();
    }
  }

  /** Locators with and without rules, several returning the same type: told apart by their paths. */
  @Path("locators")
  public static class Root {
    @Path("admin")
    @RequiresScopes("admin:all")
    public Plain admin() {
      return new Plain();
    }

    @Path("open")
    public Plain open() {
      return new Plain();
    }

    @Path("public")
    @PermitAll
    public Plain publicOne() {
      return new Plain();
    }

    @Path("items/{id}")
    @RequiresPermissions("items:read")
    public Plain item(@PathParam("id") String id) {
      return new Plain();
    }

    @Path("closed")
    @DenyAll
    public Plain closed() {
      return new Plain();
    }

    @Path("admin-scoped")
    @RequiresScopes("admin:all")
    public Object adminScoped() {
      return new Scoped();
    }
  }

  /** A root class rule with nothing but a locator: the rule is the locator's. */
  @Path("locked")
  @RequiresScopes("admin:all")
  public static class LockedRoot {
    @Path("inside")
    public Plain inside() {
      return new Plain();
    }
  }

  /** Two locators whose templates both match {@code special}: which one the runtime picked cannot be told portably. */
  @Path("ambiguous")
  public static class Ambiguous {
    @Path("{name}")
    @RequiresScopes("any:name")
    public Plain named(@PathParam("name") String name) {
      return new Plain();
    }

    @Path("special")
    @RequiresPermissions("special:read")
    public Plain special() {
      return new Plain();
    }

    @Path("{id: [0-9]+}")
    @RequiresPermissions("numbered:read")
    public Scoped numbered(@PathParam("id") String id) {
      return new Scoped();
    }
  }
}
