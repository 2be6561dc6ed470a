package dev.tokenward.core;

import static dev.tokenward.core.ValidatorTestSupport.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepUpTest {
  static final String MFA = "http://schemas.openid.net/pape/policies/2007/06/multi-factor";
  private final ValidatorTestSupport.MutableClock clock = new ValidatorTestSupport.MutableClock(Instant.parse("2026-01-01T12:00:00Z"));
  private final long now = clock.instant().getEpochSecond();

  private static VerifiedToken token(Object... claims) {
    Map<String, Object> map = new HashMap<>(Map.of("sub", "auth0|u", "scope", "transfer"));
    for (int i = 0; i < claims.length; i += 2) {
      map.put((String) claims[i], claims[i + 1]);
    }
    return new VerifiedToken(TokenKind.JWT, "https://i/", map, Map.of(), Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, null);
  }

  private StepUp.Builder mfa() {
    return StepUp.builder().acr(MFA).clock(clock);
  }

  @Test
  void checkWhenAcrIsAcceptedThenPasses() throws Exception {
    mfa().build().check(token("acr", MFA));
    assertThat(mfa().build().isSatisfiedBy(token("acr", MFA))).isTrue();
  }

  @Test
  void checkWhenAcrDiffersThenInsufficientUserAuthenticationWithAcrValues() {
    TokenValidationException e = catchThrowableOfType(TokenValidationException.class,
        () -> mfa().build().check(token("acr", "urn:password")));
    assertThat(e.reason()).isEqualTo(Reason.INSUFFICIENT_USER_AUTHENTICATION);
    assertThat(e.httpStatus()).isEqualTo(401);
    assertThat(e.errorCode()).isEqualTo("insufficient_user_authentication");
    assertThat(e.acrValues()).contains(MFA);
    assertThat(e.maxAge()).isEmpty();
    assertThat(e.requiredScope()).isEmpty();
    assertThat(e.description()).isEqualTo("the authentication is not strong enough: 'acr' 'urn:password', where 'acr' "
        + MFA + " is required: authenticate again");
  }

  @Test
  void checkWhenNoAcrThenRefused() {
    assertRefused(() -> mfa().build().check(token()), Reason.INSUFFICIENT_USER_AUTHENTICATION)
        .hasMessageContaining("no 'acr'");
  }

  @Test
  void checkWhenAmrHoldsAnAcceptedEntryThenPassesWithoutAcr() throws Exception {
    // Auth0 writes amr ["mfa"] after any MFA, acr only when the client asked for it
    StepUp s = mfa().amr("mfa").build();
    s.check(token("amr", List.of("pwd", "mfa")));
    assertRefused(() -> s.check(token("amr", List.of("pwd"))), Reason.INSUFFICIENT_USER_AUTHENTICATION)
        .hasMessageContaining("'amr' [pwd]").hasMessageContaining("or 'amr' with mfa");
  }

  @Test
  void checkWhenOnlyAmrRequiredThenChallengeHasNoAcrValues() {
    TokenValidationException e = catchThrowableOfType(TokenValidationException.class,
        () -> StepUp.builder().amr("mfa").build().check(token("amr", "pwd")));
    assertThat(e.acrValues()).isEmpty();
    assertThat(e.maxAge()).isEmpty();
  }

  @Test
  void checkWhenAuthTimeWithinMaxAgeThenPassesAndWhenOlderThenRefusedWithMaxAge() throws Exception {
    StepUp s = StepUp.builder().maxAge(Duration.ofSeconds(300)).clock(clock).build();
    s.check(token("auth_time", now - 300));
    TokenValidationException e = catchThrowableOfType(TokenValidationException.class,
        () -> s.check(token("auth_time", now - 301)));
    assertThat(e.reason()).isEqualTo(Reason.INSUFFICIENT_USER_AUTHENTICATION);
    assertThat(e.maxAge()).contains(300L);
    assertThat(e.acrValues()).isEmpty();
    assertThat(e.description()).isEqualTo("the user authenticated 301 s ago ('auth_time'), more than the 300 s allowed: "
        + "authenticate again");
  }

  @Test
  void checkWhenMaxAgeAndNoAuthTimeThenRefused() {
    StepUp s = StepUp.builder().maxAge(Duration.ofMinutes(5)).clock(clock).build();
    assertRefused(() -> s.check(token()), Reason.INSUFFICIENT_USER_AUTHENTICATION).hasMessageContaining("no 'auth_time'");
    assertRefused(() -> s.check(token("auth_time", "recently")), Reason.INSUFFICIENT_USER_AUTHENTICATION);
  }

  @Test
  void checkWhenTheClockMovesThenTheSameTokenAges() throws Exception {
    StepUp s = mfa().maxAge(Duration.ofSeconds(60)).build();
    VerifiedToken t = token("acr", MFA, "auth_time", now);
    s.check(t);
    clock.advanceSeconds(61);
    assertRefused(() -> s.check(t), Reason.INSUFFICIENT_USER_AUTHENTICATION);
  }

  @Test
  void checkWhenBothFallShortThenBothNamedAndBothInTheChallenge() {
    TokenValidationException e = catchThrowableOfType(TokenValidationException.class,
        () -> mfa().maxAge(Duration.ofSeconds(60)).build().check(token("acr", "0", "auth_time", now - 3600)));
    assertThat(e.acrValues()).contains(MFA);
    assertThat(e.maxAge()).contains(60L);
    assertThat(e.description()).contains("'acr' '0'").contains("3600 s ago");
  }

  @Test
  void buildWhenNothingRequiredOrValueInvalidThenRefused() {
    assertThatThrownBy(() -> StepUp.builder().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("stepUp:");
    assertThatThrownBy(() -> StepUp.builder().acr("a b")).hasMessageStartingWith("acr:");
    assertThatThrownBy(() -> StepUp.builder().amr("")).hasMessageStartingWith("amr:");
    assertThatThrownBy(() -> StepUp.builder().maxAge(Duration.ofMillis(500))).hasMessageStartingWith("maxAge:");
  }

  @Test
  void requirementWhenScopeAndStepUpBothFailThenStepUpAnswersFirst() throws Exception {
    Requirement r = Requirement.allOf("admin:all").and(Requirement.stepUp(mfa().build()));
    assertRefused(() -> r.check(token("acr", "0")), Reason.INSUFFICIENT_USER_AUTHENTICATION);
    assertRefused(() -> r.check(token("acr", MFA)), Reason.INSUFFICIENT_SCOPE);
    r.check(token("acr", MFA, "scope", "admin:all"));
    assertThat(r.values()).containsExactly("admin:all");
    assertThat(r.stepUps()).hasSize(1);
    assertThat(r.isSatisfiedBy(token("acr", MFA, "scope", "admin:all"))).isTrue();
    assertThat(r.isSatisfiedBy(token("scope", "admin:all"))).isFalse();
    assertThat(r.toString()).isEqualTo("all of scope_or_permission admin:all and step-up (acr " + MFA + ")");
  }

  @Test
  void errorResponseWhenStepUpFailsThen401WithAcrValuesAndMaxAge() {
    TokenValidationException e = catchThrowableOfType(TokenValidationException.class,
        () -> mfa().maxAge(Duration.ofSeconds(300)).build().check(token("acr", MFA)));
    BearerErrorResponse r = BearerErrorResponse.of(e, "tokenward");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.challenge()).isEqualTo("Bearer realm=\"tokenward\", error=\"insufficient_user_authentication\", "
        + "error_description=\"the token has no 'auth_time', so it cannot show an authentication within the last 300 s: "
        + "authenticate again\", acr_values=\"" + MFA + "\", max_age=\"300\"");
    assertThat(r.body()).isEqualTo("{\"error\":\"insufficient_user_authentication\",\"error_description\":"
        + "\"the token has no 'auth_time', so it cannot show an authentication within the last 300 s: authenticate again\"}");
  }
}
