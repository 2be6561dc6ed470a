package dev.tokenward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The typed claim accessors: present, absent, and of the wrong JSON type (an error, never a silent empty). */
class VerifiedTokenAccessorsTest {
  private static VerifiedToken token(Map<String, Object> claims) {
    return new VerifiedToken(TokenKind.JWT, "https://issuer.example/", claims, Map.of(), Long.MAX_VALUE, Long.MIN_VALUE,
        Long.MIN_VALUE, null);
  }

  @Test
  void clientIdWhenClientIdClaimThenItElseAzp() {
    assertThat(token(Map.of("client_id", "rfc9068-client", "azp", "other")).clientId()).hasValue("rfc9068-client");
    assertThat(token(Map.of("azp", "auth0-client")).clientId()).hasValue("auth0-client");
    assertThat(token(Map.of("sub", "x")).clientId()).isEmpty();
    assertThat(token(Map.of("azp", 42L)).clientId()).isEmpty();
  }

  @Test
  void claimAsStringWhenStringThenValueWhenAbsentThenEmptyWhenOtherTypeThenFails() {
    VerifiedToken t = token(Map.of("email", "a@example.com", "age", 42L));
    assertThat(t.claimAsString("email")).hasValue("a@example.com");
    assertThat(t.claimAsString("nickname")).isEmpty();
    assertThatThrownBy(() -> t.claimAsString("age")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("claim 'age' is a number, not a string");
  }

  @Test
  void claimAsStringListWhenArrayOrSingleStringThenList() {
    VerifiedToken t = token(Map.of("groups", List.of("admins", "ops"), "role", "reader", "mixed", List.of("a", 1L),
        "flag", true));
    assertThat(t.claimAsStringList("groups")).containsExactly("admins", "ops");
    assertThat(t.claimAsStringList("role")).containsExactly("reader");
    assertThat(t.claimAsStringList("absent")).isEmpty();
    assertThatThrownBy(() -> t.claimAsStringList("mixed")).hasMessage("claim 'mixed' is an array, not an array of strings");
    assertThatThrownBy(() -> t.claimAsStringList("flag")).hasMessage("claim 'flag' is a boolean, not an array of strings");
    assertThatThrownBy(() -> t.claimAsStringList("groups").add("x")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void claimAsInstantWhenNumericDateThenInstant() {
    VerifiedToken t = token(Map.of("auth_time", 1_700_000_000L, "frac", 1_700_000_000.5d, "when", "yesterday"));
    assertThat(t.claimAsInstant("auth_time")).hasValue(Instant.ofEpochSecond(1_700_000_000L));
    assertThat(t.claimAsInstant("frac")).hasValue(Instant.ofEpochSecond(1_700_000_000L, 500_000_000));
    assertThat(t.claimAsInstant("absent")).isEmpty();
    assertThatThrownBy(() -> t.claimAsInstant("when"))
        .hasMessage("claim 'when' is a string, not a number of seconds since the epoch");
  }
}
