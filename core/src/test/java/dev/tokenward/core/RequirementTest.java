package dev.tokenward.core;

import static dev.tokenward.core.ValidatorTestSupport.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequirementTest {
  private final VerifiedToken token = new VerifiedToken(TokenKind.JWT, "https://i/",
      Map.of("sub", "u", "scope", "read:messages openid", "permissions", List.of("admin:all")), Map.of(),
      Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, null);

  @Test
  void allOfWhenEveryValueGrantedAsScopeOrPermissionThenPasses() throws Exception {
    Requirement.allOf("read:messages", "admin:all").check(token);
    assertThat(Requirement.allOf("read:messages", "admin:all").isSatisfiedBy(token)).isTrue();
  }

  @Test
  void allOfWhenSecondValueMissingThenInsufficientScopeNamingIt() {
    // the trap of requiredScopes('a', 'b') checking only 'a': every value counts
    TokenValidationException e = catchThrowableOfType(TokenValidationException.class,
        () -> Requirement.allScopes("read:messages", "write:messages").check(token));
    assertThat(e.reason()).isEqualTo(Reason.INSUFFICIENT_SCOPE);
    assertThat(e.description()).isEqualTo("the token lacks the required scope write:messages");
    assertThat(e.requiredScope()).contains("read:messages write:messages");
    assertThat(e.httpStatus()).isEqualTo(403);
  }

  @Test
  void anyOfWhenOneGrantedThenPassesAndWhenNoneThenFails() throws Exception {
    Requirement.anyOf("write:messages", "admin:all").check(token);
    assertRefused(() -> Requirement.anyScope("write:messages", "admin:all").check(token), Reason.INSUFFICIENT_SCOPE)
        .hasMessage("the token grants none of the required scope values: write:messages admin:all");
  }

  @Test
  void permissionsWhenOnlyGrantedAsScopeThenNotEnough() {
    assertRefused(() -> Requirement.allPermissions("read:messages").check(token), Reason.INSUFFICIENT_SCOPE);
  }

  @Test
  void andWhenSecondPartFailsThenItsScopesReported() {
    TokenValidationException e = catchThrowableOfType(TokenValidationException.class,
        () -> Requirement.allOf("read:messages").and(Requirement.anyPermission("x", "y")).check(token));
    assertThat(e.requiredScope()).contains("x y");
  }

  @Test
  void constructionWhenValueEmptyOrHasSpaceThenRefused() {
    assertThatThrownBy(() -> Requirement.allOf("read:messages write:messages"))
        .hasMessageContaining("give each scope as its own argument");
    assertThatThrownBy(() -> Requirement.allOf("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Requirement.of(Requirement.Match.ALL, Requirement.Source.SCOPE, List.of()))
        .hasMessageContaining("at least one");
  }
}
