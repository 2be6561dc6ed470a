package dev.tokenward.core;

import static dev.tokenward.core.DpopProofs.CLIENT_EC;
import static dev.tokenward.core.DpopProofs.OTHER_EC;
import static dev.tokenward.core.DpopProofs.proof;
import static dev.tokenward.core.DpopTestSupport.URI;
import static dev.tokenward.core.DpopTestSupport.bearer;
import static dev.tokenward.core.DpopTestSupport.boundTo;
import static dev.tokenward.core.DpopTestSupport.dpop;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The table of shared/SAMPLES-CONTRACT.md "Sender-constrained tokens", row by row, as the answer
 * {@link BearerErrorResponse} builds: status, challenge scheme, {@code error}, {@code DPoP-Nonce}.
 */
class DpopPolicyTest {
  private static final String ALGS = "algs=\"ES256 EdDSA Ed25519 RS256 PS256\"";

  private final FakeIssuer issuer = new FakeIssuer();
  private final ValidatorTestSupport.MutableClock clock = new ValidatorTestSupport.MutableClock();
  private final String bound = boundTo(issuer, CLIENT_EC);
  private final String unbound = issuer.jwt().sign();

  @AfterEach
  void stop() throws IOException {
    issuer.close();
  }

  private AccessTokenValidator validator(DpopPolicy policy) {
    return DpopTestSupport.validator(issuer, clock).dpop(policy).build();
  }

  private static BearerErrorResponse answer(AccessTokenValidator v, TokenRequest r) {
    return BearerErrorResponse.of(Forge.refusal(() -> v.validate(r)), "tokenward");
  }

  @Test
  void allowedWhenAnUnboundTokenComesUnderBearerThenAcceptedAsBefore() throws Exception {
    assertThat(validator(DpopPolicy.ALLOWED).validate(bearer(unbound)).subject()).isEqualTo("auth0|user-1");
  }

  @ParameterizedTest
  @EnumSource(DpopPolicy.class)
  void anyModeWhenABoundTokenComesUnderBearerThen401InvalidToken(DpopPolicy policy) {
    BearerErrorResponse a = answer(validator(policy), bearer(bound));
    assertThat(a.status()).isEqualTo(401);
    assertThat(a.challenge()).contains("error=\"invalid_token\"");
  }

  @Test
  void allowedWhenABoundTokenComesUnderBearerThenTheReasonNamesTheBinding() {
    TokenValidationException e = Forge.refusal(() -> validator(DpopPolicy.ALLOWED).validate(bearer(bound)));
    assertThat(e.reason()).isEqualTo(Reason.DPOP_TOKEN_AS_BEARER);
    assertThat(e.description()).contains("cnf jkt");
    assertThat(BearerErrorResponse.of(e, "tokenward").challenge()).startsWith("DPoP realm=\"tokenward\", " + ALGS);
  }

  @ParameterizedTest
  @EnumSource(value = DpopPolicy.class, names = {"ALLOWED", "REQUIRED"})
  void allowedOrRequiredWhenTheDpopSchemeCarriesAnUnboundTokenThen401InvalidToken(DpopPolicy policy) {
    BearerErrorResponse a = answer(validator(policy), dpop(unbound, proof("GET", URI, unbound).sign()));
    assertThat(a.status()).isEqualTo(401);
    assertThat(a.challenge()).startsWith("DPoP realm=\"tokenward\", " + ALGS + ", error=\"invalid_token\"");
  }

  @Test
  void whenTheProofIsMissingSeveralOrFailsThen401DpopChallengeInvalidDpopProof() {
    AccessTokenValidator v = validator(DpopPolicy.ALLOWED);
    for (TokenRequest r : List.of(dpop(bound), dpop(bound, proof("GET", URI, bound).sign(), proof("GET", URI, bound).sign()),
        dpop(bound, proof("POST", URI, bound).sign()))) {
      BearerErrorResponse a = answer(v, r);
      assertThat(a.status()).isEqualTo(401);
      assertThat(a.challenges()).hasSize(1);
      assertThat(a.challenge()).startsWith("DPoP realm=\"tokenward\", " + ALGS + ", error=\"invalid_dpop_proof\"");
      assertThat(a.body()).contains("\"error\":\"invalid_dpop_proof\"");
    }
  }

  @Test
  void whenTheThumbprintDiffersFromCnfJktThen401DpopChallengeInvalidToken() {
    String other = boundTo(issuer, OTHER_EC);
    BearerErrorResponse a = answer(validator(DpopPolicy.ALLOWED), dpop(other, proof("GET", URI, other).sign()));
    assertThat(a.status()).isEqualTo(401);
    assertThat(a.challenge()).startsWith("DPoP realm=\"tokenward\", " + ALGS + ", error=\"invalid_token\"");
  }

  @Test
  void whenNoncesAreOnAndTheProofHasNoneThen401UseDpopNonceWithAFreshNonce() {
    AccessTokenValidator v = DpopTestSupport.validator(issuer, clock).dpopNonce(true).build();
    BearerErrorResponse a = answer(v, dpop(bound, proof("GET", URI, bound).sign()));
    assertThat(a.status()).isEqualTo(401);
    assertThat(a.challenge()).startsWith("DPoP realm=\"tokenward\", " + ALGS + ", error=\"use_dpop_nonce\"");
    assertThat(a.headers().get("DPoP-Nonce")).matches("[A-Za-z0-9_-]{32}");
  }

  @Test
  void requiredWhenATokenComesUnderBearerThen401DpopChallengeInvalidToken() {
    for (String token : List.of(unbound, bound)) {
      TokenValidationException e = Forge.refusal(() -> validator(DpopPolicy.REQUIRED).validate(bearer(token)));
      assertThat(e.reason()).isEqualTo(Reason.DPOP_REQUIRED);
      BearerErrorResponse a = BearerErrorResponse.of(e, "tokenward");
      assertThat(a.status()).isEqualTo(401);
      assertThat(a.challenges()).hasSize(1);
      assertThat(a.challenge()).startsWith("DPoP realm=\"tokenward\", " + ALGS + ", error=\"invalid_token\"");
    }
  }

  @Test
  void offWhenTheDpopSchemeIsUsedThen401BearerChallengeWithoutError() {
    TokenValidationException e = Forge.refusal(() -> validator(DpopPolicy.OFF).validate(dpop(bound, proof("GET", URI, bound).sign())));
    assertThat(e.reason()).isEqualTo(Reason.MISSING_TOKEN);
    BearerErrorResponse a = BearerErrorResponse.of(e, "tokenward");
    assertThat(a.status()).isEqualTo(401);
    assertThat(a.challenges()).hasSize(1);
    assertThat(a.challenge()).startsWith("Bearer realm=\"tokenward\"").doesNotContain("error=").doesNotContain("algs=");
  }

  @Test
  void offWhenAnUnboundTokenComesUnderBearerThenAccepted() throws Exception {
    assertThat(validator(DpopPolicy.OFF).validate(bearer(unbound)).subject()).isEqualTo("auth0|user-1");
  }

  @Test
  void whenAValidDpopRequestLacksAScopeThen403DpopChallengeInsufficientScope() throws Exception {
    AccessTokenValidator v = validator(DpopPolicy.ALLOWED);
    TokenRequest r = dpop(bound, proof("GET", URI, bound).sign());
    VerifiedToken token = v.validate(r);
    TokenValidationException missing = Forge.refusal(() -> Requirement.allOf("admin:all").check(token));
    BearerErrorResponse a = BearerErrorResponse.of(v.withChallenge(r, missing), "tokenward");
    assertThat(a.status()).isEqualTo(403);
    assertThat(a.challenge()).startsWith("DPoP realm=\"tokenward\", " + ALGS + ", error=\"insufficient_scope\"")
        .contains("scope=\"admin:all\"");
  }

  @Test
  void whenABearerRequestLacksAScopeThenTheChallengeStaysBearer() throws Exception {
    AccessTokenValidator v = validator(DpopPolicy.ALLOWED);
    TokenRequest r = bearer(unbound);
    VerifiedToken token = v.validate(r);
    TokenValidationException missing = Forge.refusal(() -> Requirement.allOf("admin:all").check(token));
    assertThat(BearerErrorResponse.of(v.withChallenge(r, missing), "tokenward").challenge())
        .startsWith("Bearer realm=\"tokenward\", error=\"insufficient_scope\"");
  }

  // ------------------------------------------------------------- no credentials

  @Test
  void allowedWhenNoCredentialsThenBothABearerAndADpopChallenge() {
    BearerErrorResponse a = answer(validator(DpopPolicy.ALLOWED), DpopTestSupport.request().build());
    assertThat(a.status()).isEqualTo(401);
    assertThat(a.challenges()).hasSize(2);
    assertThat(a.challenges().get(0)).startsWith("Bearer realm=\"tokenward\"").doesNotContain("error=");
    assertThat(a.challenges().get(1)).startsWith("DPoP realm=\"tokenward\", " + ALGS).doesNotContain("error=");
    assertThat(a.challenge()).isEqualTo(String.join(", ", a.challenges()));
  }

  @Test
  void requiredWhenNoCredentialsThenOnlyTheDpopChallenge() {
    BearerErrorResponse a = answer(validator(DpopPolicy.REQUIRED), DpopTestSupport.request().build());
    assertThat(a.challenges()).hasSize(1);
    assertThat(a.challenge()).startsWith("DPoP realm=\"tokenward\", " + ALGS);
  }

  @Test
  void offWhenNoCredentialsThenNoDpopChallengeAtAll() {
    BearerErrorResponse a = answer(validator(DpopPolicy.OFF), DpopTestSupport.request().build());
    assertThat(a.challenges()).hasSize(1);
    assertThat(a.challenge()).startsWith("Bearer realm=\"tokenward\"").doesNotContain("DPoP realm").doesNotContain("algs=");
  }

  // ------------------------------------------------------------- per endpoint

  @Test
  void endpointRequiredOverridesAnAllowingIssuer() {
    TokenRequest r = DpopTestSupport.request().authorization("Bearer " + unbound).dpopPolicy(DpopPolicy.REQUIRED).build();
    assertThat(Forge.refusal(() -> validator(DpopPolicy.ALLOWED).validate(r)).reason()).isEqualTo(Reason.DPOP_REQUIRED);
  }

  @Test
  void endpointAllowedOverridesARequiringIssuer() throws Exception {
    TokenRequest r = DpopTestSupport.request().authorization("Bearer " + unbound).dpopPolicy(DpopPolicy.ALLOWED).build();
    assertThat(validator(DpopPolicy.REQUIRED).validate(r).subject()).isEqualTo("auth0|user-1");
  }

  @Test
  void endpointOffOverridesAnAllowingIssuerForTheDpopScheme() {
    TokenRequest r = DpopTestSupport.request().authorization("DPoP " + bound).dpopProof(proof("GET", URI, bound).sign())
        .dpopPolicy(DpopPolicy.OFF).build();
    assertThat(Forge.refusal(() -> validator(DpopPolicy.ALLOWED).validate(r)).reason()).isEqualTo(Reason.MISSING_TOKEN);
  }

  @Test
  void issuersWithDifferentPoliciesAreEachHeldToTheirOwn() throws Exception {
    try (FakeIssuer second = new FakeIssuer()) {
      AccessTokenValidator v = AccessTokenValidator.builder()
          .issuer(TrustedIssuer.builder(issuer.issuer()).audience(FakeIssuer.AUDIENCE)
              .keys(new com.nimbusds.jose.jwk.JWKSet(FakeIssuer.rsaKey(0).toPublicJWK())).dpop(DpopPolicy.REQUIRED).build())
          .issuer(TrustedIssuer.builder(second.issuer()).audience(FakeIssuer.AUDIENCE)
              .keys(new com.nimbusds.jose.jwk.JWKSet(FakeIssuer.rsaKey(0).toPublicJWK())).dpop(DpopPolicy.ALLOWED).build())
          .clock(clock).build();
      assertThat(Forge.refusal(() -> v.validate(bearer(unbound))).reason()).isEqualTo(Reason.DPOP_REQUIRED);
      assertThat(v.validate(bearer(second.jwt().sign())).issuer()).isEqualTo(second.issuer());
      BearerErrorResponse none = answer(v, DpopTestSupport.request().build());
      assertThat(none.challenges()).hasSize(2);
    }
  }
}
