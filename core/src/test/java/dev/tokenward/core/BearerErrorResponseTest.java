package dev.tokenward.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BearerErrorResponseTest {
  // Issue #10 item 16 (regression): the old answer carried error_description="this resource requires ..." in the
  // challenge and {"error_description": ...} in the body; RFC 6750 section 3.1 wants no error information when the
  // request had no credentials. Failed on the old code at the challenge assertion.
  @Test
  void missingTokenWhenBuiltThen401ChallengeWithRealmOnlyAndMessageBody() {
    BearerErrorResponse r = BearerErrorResponse.missingToken("tokenward");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.challenge()).isEqualTo("Bearer realm=\"tokenward\"");
    assertThat(r.body()).isEqualTo("{\"message\":"
        + "\"this resource requires a bearer access token in the Authorization header\"}");
    assertThat(r.headers()).containsEntry("Cache-Control", "no-store").containsEntry("Content-Type", "application/json")
        .doesNotContainKey("Retry-After");
  }

  @Test
  void invalidTokenWhenDescriptionHasQuotesThenHeaderStaysValid() {
    BearerErrorResponse r = BearerErrorResponse.of(
        new TokenValidationException(Reason.WRONG_ISSUER, "iss \"x\\y\" is\nnot trusted"), "api");
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.challenge()).isEqualTo(
        "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"iss 'x?y' is?not trusted\"");
    assertThat(r.body()).isEqualTo("{\"error\":\"invalid_token\",\"error_description\":\"iss 'x?y' is?not trusted\"}");
  }

  @Test
  void insufficientScopeWhenBuiltThen403WithScopeAttribute() {
    BearerErrorResponse r = BearerErrorResponse.of(
        TokenValidationException.insufficientScope("the token lacks the required scope a b", "a b"), "tokenward");
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.challenge()).isEqualTo("Bearer realm=\"tokenward\", error=\"insufficient_scope\", "
        + "error_description=\"the token lacks the required scope a b\", scope=\"a b\"");
  }

  @Test
  void unavailableWhenBuiltThen503WithRetryAfter() {
    BearerErrorResponse r = BearerErrorResponse.of(
        TokenValidationException.unavailable("keys cannot be fetched", Duration.ofSeconds(12), null), "tokenward");
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.headers()).containsEntry("Retry-After", "12");
    assertThat(r.challenge()).contains("error=\"temporarily_unavailable\"");
  }

  @Test
  void invalidRequestWhenBuiltThen400() {
    BearerErrorResponse r = BearerErrorResponse.of(new TokenValidationException(Reason.INVALID_REQUEST, "x"), "t");
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("{\"error\":\"invalid_request\",\"error_description\":\"x\"}");
  }
}
