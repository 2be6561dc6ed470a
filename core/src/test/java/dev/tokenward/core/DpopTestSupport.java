package dev.tokenward.core;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A validator over static keys, bound tokens, and requests, shared by the DPoP tests. */
final class DpopTestSupport {
  static final String URI = "https://api.tokenward.test/orders";

  private DpopTestSupport() {}

  /** A builder trusting {@code issuer}'s RS256 key 0 without fetching, on this clock. */
  static AccessTokenValidator.Builder validator(FakeIssuer issuer, ValidatorTestSupport.MutableClock clock) {
    return AccessTokenValidator.builder()
        .issuer(issuer.issuer())
        .audience(FakeIssuer.AUDIENCE)
        .keys(new JWKSet(FakeIssuer.rsaKey(0).toPublicJWK()))
        .clock(clock)
        .clockSkew(Duration.ofSeconds(60));
  }

  /** A token bound to {@code key} ({@code cnf.jkt} is its thumbprint). */
  static String boundTo(FakeIssuer issuer, JWK key) {
    return issuer.jwt().claim("cnf", Map.of("jkt", DpopProofs.thumbprint(key))).sign();
  }

  static TokenRequest dpop(String token, String... proofs) {
    return TokenRequest.builder("GET", URI).authorization("DPoP " + token).dpopProofs(List.of(proofs)).build();
  }

  static TokenRequest bearer(String token) {
    return TokenRequest.builder("GET", URI).authorization("Bearer " + token).build();
  }

  static TokenRequest.Builder request() {
    return TokenRequest.builder("GET", URI);
  }
}
