package dev.tokenward.core;

import static dev.tokenward.core.ValidatorTestSupport.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnnotatedStepUpTest {
  static final String MFA = StepUpTest.MFA;

  private static VerifiedToken token(Map<String, Object> claims) {
    return new VerifiedToken(TokenKind.JWT, "https://i/", claims, Map.of(), Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE,
        null);
  }

  @RequiresStepUp(acr = MFA, amr = "mfa", maxAgeSeconds = 300)
  @RequiresScopes("transfer")
  static class Explicit {}

  @RequiresStepUp
  static class Configured {}

  @RequiresStepUp(maxAgeSeconds = -5)
  static class NegativeAge {}

  @RequiresStepUp(acr = "two words")
  static class TwoInOne {}

  @Test
  void fromWhenAttributesGivenThenStepUpAndScopesBothRequired() throws Exception {
    AnnotatedRequirements a = AnnotatedRequirements.from(Explicit.class);
    assertThat(a.needsToken()).isTrue();
    assertThat(a.annotations()).containsExactly("@RequiresScopes", "@RequiresStepUp");
    Requirement r = a.requirement().orElseThrow();
    assertThat(r.values()).containsExactly("transfer");
    StepUp s = r.stepUps().get(0);
    assertThat(s.acrValues()).containsExactly(MFA);
    assertThat(s.amrValues()).containsExactly("mfa");
    assertThat(s.maxAge()).contains(Duration.ofSeconds(300));
    long now = Instant.now().getEpochSecond();
    r.check(token(Map.of("scope", "transfer", "amr", List.of("mfa"), "auth_time", now)));
    assertRefused(() -> r.check(token(Map.of("scope", "transfer", "acr", MFA))), Reason.INSUFFICIENT_USER_AUTHENTICATION);
  }

  @Test
  void fromWhenNoAttributesThenTheConfiguredPolicyAndWithoutOneAMisconfiguration() {
    StepUp configured = StepUp.builder().acr("urn:strong").build();
    assertThat(AnnotatedRequirements.from(Configured.class, configured).requirement().orElseThrow().stepUps())
        .containsExactly(configured);
    assertThatThrownBy(() -> AnnotatedRequirements.from(Configured.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Configured.class.getName())
        .hasMessageContaining("no step-up policy is configured");
  }

  @Test
  void fromWhenAttributesInvalidThenMisconfigurationNamingTheClass() {
    assertThatThrownBy(() -> AnnotatedRequirements.from(NegativeAge.class))
        .hasMessageContaining(NegativeAge.class.getName()).hasMessageContaining("maxAgeSeconds");
    assertThatThrownBy(() -> AnnotatedRequirements.from(TwoInOne.class))
        .hasMessageContaining(TwoInOne.class.getName()).hasMessageContaining("'two words'");
  }
}
