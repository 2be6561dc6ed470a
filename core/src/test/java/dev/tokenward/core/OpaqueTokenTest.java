package dev.tokenward.core;

import static dev.tokenward.core.ValidatorTestSupport.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.tokenward.core.ValidatorTestSupport.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpaqueTokenTest {
  private static final String OPAQUE = "x7Hk2mPq9RtY4wZ8vB3nL6jD1fG5sA0c";
  private final FakeIssuer issuer = new FakeIssuer();
  private final MutableClock clock = new MutableClock();

  @AfterEach
  void stop() throws Exception {
    issuer.close();
  }

  private AccessTokenValidator validator(OpaqueTokenPolicy policy) {
    AccessTokenValidator.Builder b = AccessTokenValidator.builder().issuer(issuer.issuer())
        .audience(FakeIssuer.AUDIENCE).opaqueTokens(policy).clock(clock);
    if (policy == OpaqueTokenPolicy.INTROSPECT) {
      b.introspection(null, "api-client", "s3cret:with&chars");
    }
    return b.build();
  }

  @Test
  void validateWhenUserinfoPolicyAndIssuerKnowsTokenThenOpaqueTokenWithItsClaims() throws Exception {
    issuer.opaque(OPAQUE, Map.of("sub", "auth0|u1", "scope", "read:messages", "permissions", List.of("admin:all")));

    VerifiedToken token = validator(OpaqueTokenPolicy.USERINFO).validate(OPAQUE);

    assertThat(token.kind()).isEqualTo(TokenKind.OPAQUE);
    assertThat(token.subject()).isEqualTo("auth0|u1");
    assertThat(token.scopes()).containsExactly("read:messages");
    assertThat(token.permissions()).containsExactly("admin:all");
    RecordedRequest call = issuer.requests().stream().filter(r -> r.getPath().equals("/userinfo")).findFirst().orElseThrow();
    assertThat(call.getHeader("Authorization")).isEqualTo("Bearer " + OPAQUE);
  }

  @Test
  void validateWhenUserinfoRefusesTokenThenInactive() {
    assertRefused(() -> validator(OpaqueTokenPolicy.USERINFO).validate(OPAQUE), Reason.INACTIVE)
        .hasMessageContaining("HTTP 401").hasMessageNotContaining(OPAQUE);
  }

  @Test
  void validateWhenSameOpaqueTokenAgainThenAnsweredFromCacheUntilTtl() throws Exception {
    issuer.opaque(OPAQUE, Map.of("sub", "u"));
    AccessTokenValidator v = validator(OpaqueTokenPolicy.USERINFO);
    v.validate(OPAQUE);
    v.validate(OPAQUE);
    assertThat(issuer.hits("/userinfo")).isEqualTo(1);

    clock.advanceSeconds(61);
    v.validate(OPAQUE);
    assertThat(issuer.hits("/userinfo")).isEqualTo(2);
  }

  @Test
  void validateWhenUserinfoDownThenIssuerUnavailable() {
    issuer.answer("/userinfo", new MockResponse().setResponseCode(503));
    assertRefused(() -> validator(OpaqueTokenPolicy.USERINFO).validate(OPAQUE), Reason.ISSUER_UNAVAILABLE);
  }

  @Test
  void validateWhenUserinfoRateLimitsThenUnavailableWithItsRetryAfter() {
    issuer.answer("/userinfo", new MockResponse().setResponseCode(429).setHeader("Retry-After", "7"));
    TokenValidationException e = catchThrowableOfType(TokenValidationException.class,
        () -> validator(OpaqueTokenPolicy.USERINFO).validate(OPAQUE));
    assertThat(e.reason()).isEqualTo(Reason.ISSUER_UNAVAILABLE);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
  }

  @Test
  void validateWhenIntrospectionActiveThenOpaqueTokenAndClientAuthenticated() throws Exception {
    long now = clock.millis() / 1000;
    issuer.opaque(OPAQUE, Map.of("sub", "client-1@clients", "scope", "read:messages", "exp", now + 3600,
        "aud", FakeIssuer.AUDIENCE, "iss", issuer.issuer()));

    VerifiedToken token = validator(OpaqueTokenPolicy.INTROSPECT).validate(OPAQUE);

    assertThat(token.subject()).isEqualTo("client-1@clients");
    assertThat(token.expiresAt()).isPresent();
    RecordedRequest call = issuer.requests().stream().filter(r -> r.getPath().equals("/oauth/introspect"))
        .findFirst().orElseThrow();
    assertThat(call.getHeader("Authorization"))
        .isEqualTo("Basic " + java.util.Base64.getEncoder().encodeToString("api-client:s3cret%3Awith%26chars".getBytes()));
    assertThat(call.getMethod()).isEqualTo("POST");
  }

  @Test
  void validateWhenIntrospectionInactiveThenInactive() {
    assertRefused(() -> validator(OpaqueTokenPolicy.INTROSPECT).validate(OPAQUE), Reason.INACTIVE)
        .hasMessageContaining("not active");
  }

  @Test
  void validateWhenIntrospectionNamesOtherAudienceThenWrongAudience() {
    issuer.opaque(OPAQUE, Map.of("sub", "s", "aud", "https://other.api"));
    assertRefused(() -> validator(OpaqueTokenPolicy.INTROSPECT).validate(OPAQUE), Reason.WRONG_AUDIENCE);
  }

  @Test
  void introspectionCacheWhenTokenExpiresSoonerThanTtlThenNotServedPastExpiry() throws Exception {
    long now = clock.millis() / 1000;
    issuer.opaque(OPAQUE, Map.of("sub", "s", "exp", now + 20));
    AccessTokenValidator v = validator(OpaqueTokenPolicy.INTROSPECT);
    v.validate(OPAQUE);
    v.validate(OPAQUE);
    assertThat(issuer.hits("/oauth/introspect")).isEqualTo(1);

    clock.advanceSeconds(21);
    assertRefused(() -> v.validate(OPAQUE), Reason.EXPIRED);
    assertThat(issuer.hits("/oauth/introspect")).isEqualTo(2);
  }

  @Test
  void validateWhenJweAndRejectPolicyThenOpaqueRejectedNamingJwe() {
    assertRefused(() -> validator(OpaqueTokenPolicy.REJECT).validate("eyJhbGciOiJkaXIifQ..aGVsbG8.d29ybGQ.dGFn"),
        Reason.OPAQUE_REJECTED).hasMessageContaining("JWE");
  }

  @Test
  void validateOnlineWhenJwtRevokedThenInactive() throws Exception {
    AccessTokenValidator v = validator(OpaqueTokenPolicy.INTROSPECT);
    String jwt = issuer.jwt().sign();
    assertThat(v.validate(jwt).kind()).isEqualTo(TokenKind.JWT);
    assertRefused(() -> v.validateOnline(jwt), Reason.INACTIVE);
  }

  @Test
  void validateOnlineWhenJwtActiveThenJwtClaims() throws Exception {
    AccessTokenValidator v = validator(OpaqueTokenPolicy.INTROSPECT);
    String jwt = issuer.jwt().sign();
    issuer.opaque(jwt, Map.of("sub", "auth0|user-1"));
    VerifiedToken token = v.validateOnline(jwt);
    assertThat(token.kind()).isEqualTo(TokenKind.JWT);
    assertThat(token.permissions()).containsExactly("read:messages");
  }
}
