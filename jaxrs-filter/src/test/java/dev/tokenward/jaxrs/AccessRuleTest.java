package dev.tokenward.jaxrs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.Authenticated;
import dev.tokenward.core.Requirement;
import dev.tokenward.core.RequiresGrants;
import dev.tokenward.core.RequiresPermissions;
import dev.tokenward.core.RequiresScopes;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/** How annotations become rules at deployment, and which mistakes stop the deployment. */
class AccessRuleTest {
  private static AccessRule rule(Class<?> resource, String method) {
    return rule(resource, method, true);
  }

  private static AccessRule rule(Class<?> resource, String method, boolean protectUnannotated) {
    for (Method m : resource.getMethods()) {
      if (m.getName().equals(method)) {
        return AccessRule.of(resource, m, protectUnannotated);
      }
    }
    throw new AssertionError("no method " + method);
  }

  @Path("r")
  @RequiresScopes("class:scope")
  public static class Rules {
    @GET public void inheritsClass() {}

    @GET @RequiresPermissions(value = {"p1", "p2"}, match = Requirement.Match.ANY) public void ownRule() {}

    @GET @Authenticated(online = true) @RequiresScopes("s") public void onlineScoped() {}

    @GET @PermitAll public void open() {}

    @GET @DenyAll public void closed() {}

    @GET @RolesAllowed({"a", "b"}) public void roles() {}

    @GET @RequiresGrants(value = {"g1", "g2"}, match = Requirement.Match.ANY) public void grants() {}

    @GET @RequiresPermissions(value = "p", online = true) public void onlinePermissions() {}

    @GET @RequiresGrants("g") @RolesAllowed("r") public void grantsAndRoles() {}
  }

  public static class Unannotated {
    @GET public void resourceMethod() {}

    @Path("sub") public Object locator() {
      return null;
    }

    public void notAResourceMethod() {}
  }

  @Test
  void ruleWhenMethodUnannotatedThenClassRuleApplies() {
    AccessRule rule = rule(Rules.class, "inheritsClass");
    assertThat(rule.kind).isEqualTo(AccessRule.Kind.TOKEN);
    assertThat(rule.requirement).hasToString("all of scope class:scope");
  }

  @Test
  void ruleWhenMethodAnnotatedThenItReplacesClassRule() {
    assertThat(rule(Rules.class, "ownRule").requirement).hasToString("any of permission p1 p2");
  }

  @Test
  void ruleWhenAuthenticatedOnlineBesideScopesThenBothApply() {
    AccessRule rule = rule(Rules.class, "onlineScoped");
    assertThat(rule.online).isTrue();
    assertThat(rule.requirement).hasToString("all of scope s");
  }

  @Test
  void ruleWhenRequiresGrantsThenEachValueAsScopeOrPermission() {
    AccessRule rule = rule(Rules.class, "grants");
    assertThat(rule.kind).isEqualTo(AccessRule.Kind.TOKEN);
    assertThat(rule.requirement).hasToString("any of scope_or_permission g1 g2");
    assertThat(rule.online).isFalse();
  }

  @Test
  void ruleWhenOnlineOnARequiresAnnotationThenOnlineCheck() {
    AccessRule rule = rule(Rules.class, "onlinePermissions");
    assertThat(rule.online).isTrue();
    assertThat(rule.requirement).hasToString("all of permission p");
    assertThat(rule(Rules.class, "ownRule").online).isFalse();
    assertThat(rule(Rules.class, "inheritsClass").online).isFalse();
  }

  @Test
  void ruleWhenRequiresGrantsBesideRolesAllowedThenBothMustHold() {
    assertThat(rule(Rules.class, "grantsAndRoles").requirement)
        .hasToString("all of scope_or_permission g and any of scope_or_permission r");
  }

  @Test
  void ruleWhenPermitAllThenPublicAndDenyAllThenDeny() {
    assertThat(rule(Rules.class, "open").kind).isEqualTo(AccessRule.Kind.PUBLIC);
    assertThat(rule(Rules.class, "closed").kind).isEqualTo(AccessRule.Kind.DENY);
  }

  @Test
  void ruleWhenRolesAllowedThenAnyRoleAsScopeOrPermission() {
    assertThat(rule(Rules.class, "roles").requirement).hasToString("any of scope_or_permission a b");
  }

  @Test
  void ruleWhenNothingAnnotatedThenSwitchDecides() {
    assertThat(rule(Unannotated.class, "resourceMethod", true).kind).isEqualTo(AccessRule.Kind.TOKEN);
    assertThat(rule(Unannotated.class, "resourceMethod", true).requirement).isNull();
    assertThat(rule(Unannotated.class, "locator", true).kind).isEqualTo(AccessRule.Kind.TOKEN);
    assertThat(rule(Unannotated.class, "resourceMethod", false).kind).isEqualTo(AccessRule.Kind.PUBLIC);
  }

  @Test
  void ruleWhenMethodIsRuntimeProvidedThenPublicEvenWithSecureDefault() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(TestServer.JERSEY, "Jersey's automatic OPTIONS method");
    Class<?> optionsInflector = Class.forName(
        "org.glassfish.jersey.server.wadl.processor.OptionsMethodProcessor$GenericOptionsInflector");
    Method apply = optionsInflector.getMethod("apply", Object.class);
    assertThat(AccessRule.of(optionsInflector, apply, true).kind).isEqualTo(AccessRule.Kind.PUBLIC);
  }

  @Test
  void ruleWhenApplicationMethodWithoutDesignatorThenSwitchStillDecides() {
    // e.g. a Jersey programmatic resource handled by an application's method: fail closed
    assertThat(rule(Unannotated.class, "notAResourceMethod", true).kind).isEqualTo(AccessRule.Kind.TOKEN);
  }

  public interface Api {
    @GET @RequiresScopes("from:interface") void read();
  }

  public static class ApiImpl implements Api {
    @Override public void read() {}
  }

  @RequiresPermissions("from:superclass")
  public static class Base {}

  public static class Derived extends Base {
    @GET public void read() {}
  }

  @Test
  void ruleWhenAnnotationOnInterfaceMethodThenItApplies() throws Exception {
    assertThat(AccessRule.of(ApiImpl.class, Api.class.getMethod("read"), false).requirement)
        .hasToString("all of scope from:interface");
    assertThat(AccessRule.of(ApiImpl.class, ApiImpl.class.getMethod("read"), false).requirement)
        .hasToString("all of scope from:interface");
  }

  @Test
  void ruleWhenAnnotationOnSuperclassThenSubclassInheritsIt() {
    assertThat(rule(Derived.class, "read", false).requirement).hasToString("all of permission from:superclass");
  }

  public static class Mistakes {
    @GET @RequiresScopes({}) public void emptyScopes() {}

    @GET @RequiresPermissions("") public void emptyPermission() {}

    @GET @RequiresScopes("read:messages write:messages") public void twoScopesInOne() {}

    @GET @RolesAllowed({}) public void noRoles() {}

    @GET @PermitAll @RequiresScopes("s") public void permitAllAndScopes() {}

    @GET @PermitAll @DenyAll public void permitAllAndDenyAll() {}

    @GET @DenyAll @Authenticated public void denyAllAndAuthenticated() {}

    @GET @PermitAll @RequiresGrants("g") public void permitAllAndGrants() {}

    @GET @RequiresGrants({}) public void noGrants() {}
  }

  @RequiresScopes("read:messages write:messages")
  public static class MistakeOnClass {
    @GET public void read() {}
  }

  @Test
  void ruleWhenRequiresGrantsMisconfiguredThenDeploymentFailsNamingMethodAndProblem() {
    assertThatThrownBy(() -> rule(Mistakes.class, "permitAllAndGrants")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Mistakes.permitAllAndGrants").hasMessageContaining("@PermitAll contradicts @RequiresGrants");
    assertThatThrownBy(() -> rule(Mistakes.class, "noGrants")).isInstanceOf(IllegalStateException.class)
        .hasMessage("tokenward: misconfigured security annotation on method "
            + "dev.tokenward.jaxrs.AccessRuleTest$Mistakes.noGrants: @RequiresGrants names no value: "
            + "give at least one, one per element");
  }

  @Test
  void ruleWhenClassAnnotationMisconfiguredThenDeploymentFailsNamingTheClass() {
    assertThatThrownBy(() -> rule(MistakeOnClass.class, "read")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("on class dev.tokenward.jaxrs.AccessRuleTest$MistakeOnClass: @RequiresScopes: "
            + "'read:messages write:messages' is not a single scope value");
  }

  @Test
  void ruleWhenAnnotationMisconfiguredThenDeploymentFailsNamingMethodAndProblem() {
    assertThatThrownBy(() -> rule(Mistakes.class, "emptyScopes")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Mistakes.emptyScopes").hasMessageContaining("@RequiresScopes names no value");
    assertThatThrownBy(() -> rule(Mistakes.class, "emptyPermission"))
        .hasMessageContaining("@RequiresPermissions: a scope or permission must not be empty");
    assertThatThrownBy(() -> rule(Mistakes.class, "twoScopesInOne"))
        .hasMessageContaining("'read:messages write:messages' is not a single scope value");
    assertThatThrownBy(() -> rule(Mistakes.class, "noRoles")).hasMessageContaining("use @DenyAll");
    assertThatThrownBy(() -> rule(Mistakes.class, "permitAllAndScopes"))
        .hasMessageContaining("@PermitAll contradicts @RequiresScopes");
    assertThatThrownBy(() -> rule(Mistakes.class, "permitAllAndDenyAll"))
        .hasMessageContaining("@PermitAll and @DenyAll contradict each other");
    assertThatThrownBy(() -> rule(Mistakes.class, "denyAllAndAuthenticated"))
        .hasMessageContaining("@DenyAll contradicts @Authenticated");
  }

  public static class Optional {
    @GET @OptionalAuthentication public void personalised() {}
  }

  @Test
  void andWhenOptionalMeetsOtherRulesThenTheStricterWins() {
    AccessRule optional = rule(Optional.class, "personalised");
    assertThat(optional.kind).isEqualTo(AccessRule.Kind.OPTIONAL);
    assertThat(optional.and(rule(Rules.class, "open")).kind).isEqualTo(AccessRule.Kind.OPTIONAL);
    assertThat(rule(Rules.class, "open").and(optional).kind).isEqualTo(AccessRule.Kind.OPTIONAL);
    assertThat(optional.and(rule(Rules.class, "ownRule")).kind).isEqualTo(AccessRule.Kind.TOKEN);
    assertThat(rule(Rules.class, "ownRule").and(optional).requirement).hasToString("any of permission p1 p2");
    assertThat(optional.and(rule(Rules.class, "closed")).kind).isEqualTo(AccessRule.Kind.DENY);
  }
}
