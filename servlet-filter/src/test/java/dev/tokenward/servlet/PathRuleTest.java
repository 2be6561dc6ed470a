package dev.tokenward.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.Requirement;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathRuleTest {
  @Test
  void parseWhenAuthenticatedThenNoRequirement() {
    PathRule r = PathRule.parse("/api/private", " authenticated ");
    assertThat(r.requirement()).isEmpty();
    assertThat(r.onlineCheck()).isFalse();
    assertThat(r).hasToString("/api/private -> authenticated");
  }

  @Test
  void parseWhenBareValuesThenAllOfScopeOrPermission() {
    assertThat(PathRule.parse("/a", "read:messages write:messages")).hasToString(
        "/a -> all of scope_or_permission read:messages write:messages");
  }

  @Test
  void parseWhenKeywordsThenMatchAndSource() {
    assertThat(PathRule.parse("/a", "any-of a b").requirement().orElseThrow()).hasToString("any of scope_or_permission a b");
    assertThat(PathRule.parse("/a", "all-of a").requirement().orElseThrow()).hasToString("all of scope_or_permission a");
    assertThat(PathRule.parse("/a", "all-scopes a b").requirement().orElseThrow()).hasToString("all of scope a b");
    assertThat(PathRule.parse("/a", "any-scope a").requirement().orElseThrow()).hasToString("any of scope a");
    assertThat(PathRule.parse("/a", "all-permissions a").requirement().orElseThrow()).hasToString("all of permission a");
    assertThat(PathRule.parse("/a", "any-permission a b").requirement().orElseThrow()).hasToString("any of permission a b");
  }

  @Test
  void parseWhenOnlineAndClausesThenOnlineAndAllClauses() {
    PathRule r = PathRule.parse("/r/*", "online all-scopes read:reports;\n any-permission export:csv export:pdf");
    assertThat(r.onlineCheck()).isTrue();
    assertThat(r).hasToString("/r/* -> online all of scope read:reports and any of permission export:csv export:pdf");
    assertThat(PathRule.parse("/a", "online authenticated")).hasToString("/a -> online authenticated");
  }

  @Test
  void parseWhenKeywordIsMeantAsScopeThenAllOfSaysSo() {
    assertThat(PathRule.parse("/a", "all-of authenticated")).hasToString("/a -> all of scope_or_permission authenticated");
  }

  // Issue #10 item 4 (regression): on the old code "al-of read:orders" became a requirement of the scopes "al-of" and
  // "read:orders", and "Authenticated" a required scope named "Authenticated": no exception, so these failed there.
  @Test
  void parseWhenKeywordMisspelledThenConfigurationErrorNamingTheRule() {
    assertThatThrownBy(() -> PathRule.parse("/orders", "al-of read:orders"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("path rule /orders = 'al-of read:orders': 'al-of' is not a keyword: did you mean 'all-of'? "
            + "Keywords (lower case): all-of, any-of, all-scopes, any-scope, all-permissions, any-permission; "
            + "to require a scope or permission named 'al-of', write 'all-of al-of'");
    assertThatThrownBy(() -> PathRule.parse("/orders", "any-scopes a")).hasMessageContaining("did you mean 'any-scope'?");
    assertThatThrownBy(() -> PathRule.parse("/orders", "anyof a b")).hasMessageContaining("did you mean 'any-of'?");
  }

  @Test
  void parseWhenKeywordInWrongCaseThenConfigurationError() {
    assertThatThrownBy(() -> PathRule.parse("/orders", "Authenticated"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("path rule /orders = 'Authenticated': 'Authenticated' is not a keyword: did you mean "
            + "'authenticated'? Keywords are lower case; to require a scope or permission named 'Authenticated', "
            + "write 'all-of Authenticated'");
    assertThatThrownBy(() -> PathRule.parse("/orders", "ALL-OF read:orders")).hasMessageContaining("did you mean 'all-of'?");
    assertThatThrownBy(() -> PathRule.parse("/orders", "Online read:orders")).hasMessageContaining("did you mean 'online'?");
  }

  @Test
  void parseWhenKeywordAmongValuesThenConfigurationError() {
    assertThatThrownBy(() -> PathRule.parse("/orders", "read:orders any-of write:orders"))
        .hasMessage("path rule /orders = 'read:orders any-of write:orders': keyword 'any-of' must start its clause; "
            + "separate clauses with ';'");
    assertThatThrownBy(() -> PathRule.parse("/orders", "read:orders authenticated"))
        .hasMessageEndingWith("'authenticated' must stand alone (or after 'online', 'dpop', 'sender-constrained' or 'step-up')");
    assertThatThrownBy(() -> PathRule.parse("/orders", "read:orders online"))
        .hasMessageEndingWith("'online' must come first in the rule, before 'authenticated' or the scopes (leading "
            + "words: online, dpop, sender-constrained, step-up)");
  }

  @Test
  void parseWhenOrdinaryScopesThenNoFalseAlarm() {
    assertThat(PathRule.parse("/a", "openid profile email offline_access read:messages admin:all read-users"))
        .hasToString("/a -> all of scope_or_permission openid profile email offline_access read:messages admin:all "
            + "read-users");
    assertThat(PathRule.parse("/a", "all-of Authenticated al-of")).hasToString("/a -> all of scope_or_permission "
        + "Authenticated al-of");
  }

  @Test
  void parseWhenScopeHasQuoteThenRefused() {
    assertThatThrownBy(() -> PathRule.parse("/a", "read\"x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void forPathWhenExactAndPrefixRulesThenExactWinsThenLongestPrefix() {
    Protections p = new Protections(List.of(
        PathRule.authenticated("/*"),
        PathRule.requiring("/api/*", Requirement.allOf("api")),
        PathRule.requiring("/api/admin/*", Requirement.allOf("admin")),
        PathRule.requiring("/api/admin/open", Requirement.allOf("open")).withOnlineCheck()));
    assertThat(p.forPath("/api/admin/open/")).isSameAs(p.forPath("/api/admin/open"));
    assertThat(p.forPath("/api/admin/open").online()).isTrue();
    assertThat(p.forPath("/api/admin/open").requirement()).hasToString("all of scope_or_permission open");
    assertThat(p.forPath("/api/admin/open/x").requirement()).hasToString("all of scope_or_permission admin");
    assertThat(p.forPath("/api/admin").requirement()).hasToString("all of scope_or_permission admin");
    assertThat(p.forPath("/api/administrator").requirement()).hasToString("all of scope_or_permission api");
    assertThat(p.forPath("/api").requirement()).hasToString("all of scope_or_permission api");
    assertThat(p.forPath("/apis").requirement()).isNull();
    assertThat(p.forPath("/apis")).isNotNull();
    assertThat(p.forPath("")).isNotNull();
  }

  @Test
  void forPathWhenNoRuleCoversThenNull() {
    Protections p = new Protections(List.of(PathRule.authenticated("/api/private")));
    assertThat(p.forPath("/api/private")).isNotNull();
    assertThat(p.forPath("/api/private//")).isNotNull();
    assertThat(p.forPath("/api/private/x")).isNull();
    assertThat(p.forPath("/api/privateer")).isNull();
    assertThat(p.forPath("/")).isNull();
  }

  @Test
  void exactRulesUnderWildcardMappingsWhenMappingExtendsThemThenOneWarningEach() {
    Protections p = new Protections(List.of(PathRule.authenticated("/orders"), PathRule.authenticated("/api/private"),
        PathRule.authenticated("/reports"), PathRule.authenticated("/reports/*"), PathRule.authenticated("/static")));
    assertThat(p.exactRulesUnderWildcardMappings(java.util.Map.of("orders", List.of("/orders/*"),
        "jaxrs", List.of("/api/*"), "reports", List.of("/reports/*"), "default", List.of("/"),
        "exact", List.of("/static"))))
        .containsExactly(
            "tokenward: the rule for /api/private is exact, but servlet 'jaxrs' is mapped to /api/*, so /api/private/... "
                + "reaches it without that rule; use /api/private/* to cover /api/private and every path below it",
            "tokenward: the rule for /orders is exact, but servlet 'orders' is mapped to /orders/*, so /orders/... "
                + "reaches it without that rule; use /orders/* to cover /orders and every path below it");
  }

  @Test
  void patternWhenDoubleStarThenRefusedWithTheServletForm() {
    assertThatThrownBy(() -> PathRule.authenticated("/orders/**")).hasMessage("path pattern '/orders/**': write the "
        + "prefix as /orders/* (the servlet specification's form: the path and everything below it)");
  }

  @Test
  void builderWhenSamePathTwiceThenRefused() {
    BearerTokenFilter.Builder b = BearerTokenFilter.builder(AccessTokenValidator.builder()
        .issuer("https://tenant.example.com/").audience("A").build()).authenticated("/api/x");
    assertThatThrownBy(() -> b.require("/api/x/", Requirement.allOf("y")))
        .hasMessage("rule /api/x/: a rule for this path is already configured");
  }

  @Test
  void parseWhenLeadingDpopOrSenderConstrainedThenTheConstraintAndTheRequirement() {
    PathRule dpop = PathRule.parse("/pay/*", "dpop authenticated");
    assertThat(dpop.senderConstraint()).contains(dev.tokenward.core.SenderConstraint.DPOP);
    assertThat(dpop.requirement()).isEmpty();
    assertThat(dpop).hasToString("/pay/* -> dpop authenticated");
    PathRule both = PathRule.parse("/r", "sender-constrained online all-scopes read:reports");
    assertThat(both.senderConstraint()).contains(dev.tokenward.core.SenderConstraint.DPOP_OR_MTLS);
    assertThat(both.onlineCheck()).isTrue();
    assertThat(both).hasToString("/r -> online sender-constrained all of scope read:reports");
    assertThat(PathRule.parse("/a", "read:messages").senderConstraint()).isEmpty();
    assertThat(PathRule.parse("/a", "all-of dpop").requirement().orElseThrow().values()).containsExactly("dpop");
  }

  @Test
  void parseWhenALeadingWordIsMisusedThenConfigurationErrorSayingWhatToWrite() {
    assertThatThrownBy(() -> PathRule.parse("/pay/*", "dpop")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("path rule /pay/* = 'dpop': 'dpop' says how the token is presented, not what it must grant: follow "
            + "it with 'authenticated' or the scopes/permissions required, e.g. 'dpop authenticated'");
    assertThatThrownBy(() -> PathRule.parse("/pay/*", "dpop sender-constrained authenticated"))
        .hasMessageContaining("keep one");
    assertThatThrownBy(() -> PathRule.parse("/pay/*", "dpop dpop authenticated")).hasMessageContaining("'dpop' is given twice");
    assertThatThrownBy(() -> PathRule.parse("/pay/*", "pay:write dpop"))
        .hasMessageContaining("'dpop' must come first in the rule");
  }

  @Test
  void parseWhenALeadingWordIsMisspeltThenDidYouMean() {
    assertThatThrownBy(() -> PathRule.parse("/pay/*", "DPoP authenticated"))
        .hasMessageContaining("'DPoP' is not a keyword: did you mean 'dpop'? Keywords are lower case");
    assertThatThrownBy(() -> PathRule.parse("/pay/*", "dpopp pay:write")).hasMessageContaining("did you mean 'dpop'?");
    assertThatThrownBy(() -> PathRule.parse("/pay/*", "sender-constraint authenticated"))
        .hasMessageContaining("did you mean 'sender-constrained'?");
    assertThatThrownBy(() -> PathRule.parse("/pay/*", "sender_constrained authenticated"))
        .hasMessageContaining("did you mean 'sender-constrained'?");
    assertThatThrownBy(() -> PathRule.parse("/pay/*", "mtls authenticated"))
        .hasMessageContaining("did you mean 'sender-constrained'? It accepts certificate-bound (mTLS) and DPoP-bound tokens");
  }

  @Test
  void withSenderConstraintThenKeptByWithOnlineCheck() {
    PathRule r = PathRule.authenticated("/x").withSenderConstraint(dev.tokenward.core.SenderConstraint.DPOP).withOnlineCheck();
    assertThat(r.senderConstraint()).contains(dev.tokenward.core.SenderConstraint.DPOP);
    assertThat(r.onlineCheck()).isTrue();
  }

  @Test
  void parseWhenOptionalThenOptionalAuthenticationWithoutRequirement() {
    PathRule r = PathRule.parse("/personal/*", " optional ");
    assertThat(r.optionalAuthentication()).isTrue();
    assertThat(r.requirement()).isEmpty();
    assertThat(r.onlineCheck()).isFalse();
    assertThat(r.senderConstraint()).isEmpty();
    assertThat(r).hasToString("/personal/* -> optional");
    assertThat(PathRule.optional("/p")).hasToString("/p -> optional");
    assertThat(PathRule.parse("/a", "authenticated").optionalAuthentication()).isFalse();
  }

  @Test
  void parseWhenOptionalWithLeadingWordOrScopesThenRefusedAsStandingAlone() {
    String alone = "'optional' stands alone: anonymous requests pass and a token that is present must be valid; it "
        + "takes no leading word and no scopes (to require a scope or permission named 'optional', write 'all-of optional')";
    for (String rule : List.of("online optional", "dpop optional", "optional read:messages", "read:messages optional",
        "optional authenticated", "optional; read:messages")) {
      assertThatThrownBy(() -> PathRule.parse("/p", rule)).as(rule).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("path rule /p = '" + rule + "': " + alone);
    }
    assertThat(PathRule.parse("/p", "all-of optional")).hasToString("/p -> all of scope_or_permission optional");
  }

  @Test
  void parseWhenOptionalMisspelledThenDidYouMean() {
    for (String word : List.of("Optional", "optinal", "OPTIONAL")) {
      assertThatThrownBy(() -> PathRule.parse("/p", word)).as(word).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("path rule /p = '" + word + "': '" + word + "' is not a keyword: did you mean 'optional'? "
              + "Keywords are lower case; to require a scope or permission named '" + word + "', write 'all-of "
              + word + "'");
    }
  }

  @Test
  void optionalWhenOnlineCheckOrSenderConstraintAddedThenRefused() {
    assertThatThrownBy(() -> PathRule.optional("/p").withOnlineCheck()).isInstanceOf(IllegalStateException.class)
        .hasMessage("withOnlineCheck: rule /p is 'optional', which stands alone; use authenticated(...) for a rule "
            + "that requires a token");
  }

  @Test
  void parseWhenStepUpThenTheFiltersPolicyAppliesBesideTheRest() {
    PathRule r = PathRule.parse("/transfer", "step-up authenticated");
    assertThat(r.stepUp()).isTrue();
    assertThat(r.requirement()).isEmpty();
    assertThat(r).hasToString("/transfer -> step-up authenticated");
    assertThat(PathRule.parse("/pay/*", "online step-up dpop payments:write")).hasToString(
        "/pay/* -> online step-up dpop all of scope_or_permission payments:write");
    assertThat(PathRule.authenticated("/p").withStepUp().stepUp()).isTrue();
    assertThat(PathRule.parse("/a", "authenticated").stepUp()).isFalse();
    assertThat(PathRule.parse("/a", "all-of step-up")).hasToString("/a -> all of scope_or_permission step-up");
  }

  @Test
  void parseWhenStepUpAloneOrTwiceOrMisplacedThenRefused() {
    assertThatThrownBy(() -> PathRule.parse("/t", "step-up")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("path rule /t = 'step-up': 'step-up' says how the user must have authenticated, not what the token "
            + "must grant: follow it with 'authenticated' or the scopes/permissions required, e.g. 'step-up authenticated'");
    assertThatThrownBy(() -> PathRule.parse("/t", "step-up step-up authenticated"))
        .hasMessage("path rule /t = 'step-up step-up authenticated': 'step-up' is given twice");
    assertThatThrownBy(() -> PathRule.parse("/t", "read:a step-up"))
        .hasMessage("path rule /t = 'read:a step-up': 'step-up' must come first in the rule, before 'authenticated' or "
            + "the scopes (leading words: online, dpop, sender-constrained, step-up)");
    assertThatThrownBy(() -> PathRule.parse("/t", "step-up optional")).hasMessageContaining("'optional' stands alone");
    assertThatThrownBy(() -> PathRule.optional("/t").withStepUp()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void parseWhenStepUpMisspelledThenDidYouMean() {
    for (String word : List.of("Step-Up", "stepup", "step_up", "STEP-UP")) {
      assertThatThrownBy(() -> PathRule.parse("/t", word + " authenticated")).as(word)
          .hasMessage("path rule /t = '" + word + " authenticated': '" + word + "' is not a keyword: did you mean "
              + "'step-up'? Keywords are lower case; to require a scope or permission named '" + word + "', write "
              + "'all-of " + word + "'");
    }
  }
}
