package dev.tokenward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnnotatedRequirementsTest {
  private static VerifiedToken token(String scope, List<String> permissions) {
    return new VerifiedToken(TokenKind.JWT, "https://i/", Map.of("sub", "u", "scope", scope, "permissions", permissions),
        Map.of(), Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, null);
  }

  private static Method method(String name) throws NoSuchMethodException {
    return Annotated.class.getDeclaredMethod(name);
  }

  static class Plain {}

  @Authenticated
  static class AuthenticatedOnly {}

  @RequiresScopes("s")
  @RequiresPermissions(value = {"p1", "p2"}, match = Requirement.Match.ANY)
  static class ScopesAndPermissions {}

  static class InheritsScopesAndPermissions extends ScopesAndPermissions {}

  @SuppressWarnings("unused")
  static class Annotated {
    @RequiresGrants({"read:messages", "admin:all"}) void grants() {}

    @RequiresGrants(value = {"write:messages", "admin:all"}, match = Requirement.Match.ANY) void anyGrant() {}

    @Authenticated(online = true) @RequiresScopes("s") void authenticatedOnline() {}

    @RequiresPermissions(value = "p", online = true) void permissionsOnline() {}

    @RequiresScopes({}) void noScopes() {}

    @RequiresPermissions("") void emptyPermission() {}

    @RequiresGrants("read:messages write:messages") void twoInOne() {}
  }

  @RequiresScopes({})
  static class EmptyOnClass {}

  @Test
  void fromWhenNoAnnotationThenNoTokenNeeded() {
    AnnotatedRequirements none = AnnotatedRequirements.from(Plain.class);
    assertThat(none.needsToken()).isFalse();
    assertThat(none.requirement()).isEmpty();
    assertThat(none.online()).isFalse();
    assertThat(none.annotations()).isEmpty();
  }

  @Test
  void fromWhenAuthenticatedThenAnyValidTokenAndOffline() {
    AnnotatedRequirements a = AnnotatedRequirements.from(AuthenticatedOnly.class);
    assertThat(a.needsToken()).isTrue();
    assertThat(a.requirement()).isEmpty();
    assertThat(a.online()).isFalse();
    assertThat(a.annotations()).containsExactly("@Authenticated");
    assertThat(a).hasToString("any valid token (@Authenticated)");
  }

  @Test
  void fromWhenScopesAndPermissionsThenBothMustHold() {
    AnnotatedRequirements a = AnnotatedRequirements.from(ScopesAndPermissions.class);
    Requirement r = a.requirement().orElseThrow();
    assertThat(r).hasToString("all of scope s and any of permission p1 p2");
    assertThat(r.isSatisfiedBy(token("s", List.of("p2")))).isTrue();
    assertThat(r.isSatisfiedBy(token("s", List.of()))).isFalse();
    assertThat(r.isSatisfiedBy(token("openid", List.of("p1")))).isFalse();
    assertThat(a.annotations()).containsExactly("@RequiresScopes", "@RequiresPermissions");
  }

  @Test
  void fromWhenSuperclassAnnotatedThenSubclassHasItsRequirement() {
    assertThat(AnnotatedRequirements.from(InheritsScopesAndPermissions.class).requirement().orElseThrow())
        .hasToString("all of scope s and any of permission p1 p2");
  }

  @Test
  void fromWhenRequiresGrantsThenEachValueAsScopeOrPermission() throws Exception {
    Requirement all = AnnotatedRequirements.from(method("grants")).requirement().orElseThrow();
    assertThat(all).hasToString("all of scope_or_permission read:messages admin:all");
    assertThat(all.isSatisfiedBy(token("read:messages", List.of("admin:all")))).isTrue();
    assertThat(all.isSatisfiedBy(token("read:messages", List.of()))).isFalse();
    Requirement any = AnnotatedRequirements.from(method("anyGrant")).requirement().orElseThrow();
    assertThat(any.isSatisfiedBy(token("openid", List.of("admin:all")))).isTrue();
    assertThat(any.isSatisfiedBy(token("read:messages", List.of()))).isFalse();
  }

  @Test
  void fromWhenAnyAnnotationAsksOnlineThenOnline() throws Exception {
    AnnotatedRequirements authenticated = AnnotatedRequirements.from(method("authenticatedOnline"));
    assertThat(authenticated.online()).isTrue();
    assertThat(authenticated.requirement().orElseThrow()).hasToString("all of scope s");
    assertThat(authenticated).hasToString("a valid token with all of scope s, checked online (@Authenticated @RequiresScopes)");
    assertThat(AnnotatedRequirements.from(method("permissionsOnline")).online()).isTrue();
    assertThat(AnnotatedRequirements.from(method("grants")).online()).isFalse();
  }

  @Test
  void fromWhenNoValueThenFailsNamingElementAndAnnotation() {
    assertThatThrownBy(() -> AnnotatedRequirements.from(method("noScopes")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("misconfigured security annotation on method dev.tokenward.core.AnnotatedRequirementsTest$Annotated"
            + ".noScopes: @RequiresScopes names no value: give at least one, one per element");
    assertThatThrownBy(() -> AnnotatedRequirements.from(EmptyOnClass.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("misconfigured security annotation on class "
            + "dev.tokenward.core.AnnotatedRequirementsTest$EmptyOnClass: @RequiresScopes names no value");
  }

  @Test
  void fromWhenEmptyValueThenFailsNamingElementAndAnnotation() {
    assertThatThrownBy(() -> AnnotatedRequirements.from(method("emptyPermission")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AnnotatedRequirementsTest$Annotated.emptyPermission")
        .hasMessageContaining("@RequiresPermissions: a scope or permission must not be empty");
  }

  @Test
  void fromWhenValueHasASpaceThenFailsNamingElementAndAnnotation() {
    assertThatThrownBy(() -> AnnotatedRequirements.from(method("twoInOne")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("AnnotatedRequirementsTest$Annotated.twoInOne")
        .hasMessageContaining("@RequiresGrants: 'read:messages write:messages' is not a single scope value");
  }

  @Test
  void fromWhenNullThenNullPointerException() {
    assertThatThrownBy(() -> AnnotatedRequirements.from(null)).isInstanceOf(NullPointerException.class);
  }
}
