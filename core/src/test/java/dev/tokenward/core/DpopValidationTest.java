package dev.tokenward.core;

import static dev.tokenward.core.DpopProofs.CLIENT_EC;
import static dev.tokenward.core.DpopProofs.OTHER_EC;
import static dev.tokenward.core.DpopProofs.proof;
import static dev.tokenward.core.DpopTestSupport.URI;
import static dev.tokenward.core.DpopTestSupport.boundTo;
import static dev.tokenward.core.DpopTestSupport.dpop;
import static dev.tokenward.core.ValidatorTestSupport.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every check of RFC 9449 section 4.3, each failing with its own {@link Reason}, through
 * {@code validate(TokenRequest)}. Tests about the proof's age take {@code iat} from the validator's
 * clock, not the wall clock, so a slow machine cannot shift them.
 */
class DpopValidationTest {
  private final FakeIssuer issuer = new FakeIssuer();
  private final ValidatorTestSupport.MutableClock clock = new ValidatorTestSupport.MutableClock();
  private final AccessTokenValidator validator = DpopTestSupport.validator(issuer, clock).build();
  private final String token = boundTo(issuer, CLIENT_EC);

  @AfterEach
  void stop() throws IOException {
    issuer.close();
  }

  // ------------------------------------------------------------------ accepted

  @Test
  void validateWhenProofIsValidThenTheBoundTokenIsAccepted() throws Exception {
    VerifiedToken verified = validator.validate(dpop(token, proof("GET", URI, token).sign()));
    assertThat(verified.subject()).isEqualTo("auth0|user-1");
    assertThat(verified.claims().get("cnf")).isEqualTo(Map.of("jkt", DpopProofs.thumbprint(CLIENT_EC)));
  }

  @Test
  void validateWhenProofIsSignedRs256ThenAccepted() throws Exception {
    String rsaBound = boundTo(issuer, DpopProofs.CLIENT_RSA);
    String p = new DpopProofs.Proof(DpopProofs.CLIENT_RSA, "GET", URI, rsaBound).sign();
    assertThat(validator.validate(dpop(rsaBound, p)).subject()).isEqualTo("auth0|user-1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"EdDSA", "Ed25519"})
  void validateWhenProofIsEd25519UnderEitherNameThenAccepted(String alg) throws Exception {
    String edBound = boundTo(issuer, DpopProofs.CLIENT_ED25519);
    String p = new DpopProofs.Proof(DpopProofs.CLIENT_ED25519, "GET", URI, edBound).header("alg", alg).sign();
    assertThat(validator.validate(dpop(edBound, p)).subject()).isEqualTo("auth0|user-1");
  }

  @Test
  void validateWhenSchemeIsWrittenInAnotherCaseThenAccepted() throws Exception {
    TokenRequest r = TokenRequest.builder("GET", URI).authorization("dpop " + token)
        .dpopProof(proof("GET", URI, token).sign()).build();
    assertThat(validator.validate(r).subject()).isEqualTo("auth0|user-1");
  }

  @Test
  void validateWhenTypHasTheApplicationPrefixThenAccepted() throws Exception {
    String p = proof("GET", URI, token).header("typ", "application/dpop+jwt").sign();
    assertThat(validator.validate(dpop(token, p)).subject()).isEqualTo("auth0|user-1");
  }

  // ---------------------------------------------------------- check 1: one header

  @Test
  void validateWhenNoProofThenProofMissing() {
    assertRefused(() -> validator.validate(dpop(token)), Reason.DPOP_PROOF_MISSING);
  }

  @Test
  void validateWhenTwoProofsThenMultiple() {
    assertRefused(() -> validator.validate(dpop(token, proof("GET", URI, token).sign(), proof("GET", URI, token).sign())),
        Reason.DPOP_PROOF_MULTIPLE);
  }

  // ------------------------------------------------- checks 2-3: a JWS, typ dpop+jwt

  @ParameterizedTest
  @ValueSource(strings = {"not-a-jwt", "a.b", "a.b.c.d", "eyJ9.eyJ9.", "!!.??.**"})
  void validateWhenProofIsNotAJwsThenMalformed(String p) {
    assertRefused(() -> validator.validate(dpop(token, p)), Reason.DPOP_PROOF_MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"JWT", "at+jwt", "dpop"})
  void validateWhenTypIsNotDpopJwtThenMalformed(String typ) {
    assertRefused(() -> validator.validate(dpop(token, proof("GET", URI, token).header("typ", typ).sign())),
        Reason.DPOP_PROOF_MALFORMED);
  }

  @Test
  void validateWhenTypIsAbsentThenMalformed() {
    assertRefused(() -> validator.validate(dpop(token, proof("GET", URI, token).header("typ", null).sign())),
        Reason.DPOP_PROOF_MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"jti", "htm", "htu", "iat"})
  void validateWhenARequiredClaimIsMissingThenMalformed(String claim) {
    assertRefused(() -> validator.validate(dpop(token, proof("GET", URI, token).claim(claim, null).sign())),
        Reason.DPOP_PROOF_MALFORMED);
  }

  @Test
  void validateWhenProofIsLongerThanTheLimitThenMalformedBeforeAnyParsing() {
    String p = proof("GET", URI, token).claim("pad", "x".repeat(DpopProofVerifier.MAX_PROOF_LENGTH)).sign();
    assertRefused(() -> validator.validate(dpop(token, p)), Reason.DPOP_PROOF_MALFORMED)
        .hasMessageContaining("limit of " + DpopProofVerifier.MAX_PROOF_LENGTH);
  }

  @Test
  void validateWhenPayloadIsStrictJsonThenAccepted() throws Exception {
    String p = proof("GET", URI, token).rawPayload(" {\"jti\":\"" + java.util.UUID.randomUUID() + "\", \"htm\":\"GET\",\"htu\":\""
        + URI + "\",\"iat\":" + java.time.Instant.now().getEpochSecond() + ".5,\"ath\":\"" + DpopProofs.ath(token) + "\"} ")
        .sign();
    assertThat(validator.validate(dpop(token, p)).subject()).isEqualTo("auth0|user-1");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{'jti':'j-1','htm':'GET','htu':'%s','iat':%d,'ath':'%s'}", // single quotes: lenient parsers only
      "{jti:\"j-1\",htm:\"GET\",htu:\"%s\",iat:%d,ath:\"%s\"}", // unquoted names
      "{\"jti\":\"j-1\",\"htm\":\"GET\",\"htu\":\"https://other.example/x\",\"htu\":\"%s\",\"iat\":%d,\"ath\":\"%s\"}",
      "{\"jti\":\"j-1\",\"htm\":\"GET\",\"htu\":\"%s\",\"iat\":%d,\"ath\":\"%s\"} {}", // data after the object
      "[\"jti\",\"htm\",\"%s\",%d,\"%s\"]"})
  void validateWhenPayloadIsNotStrictJsonThenMalformed(String template) {
    String json = String.format(template, URI, java.time.Instant.now().getEpochSecond(), DpopProofs.ath(token));
    assertRefused(() -> validator.validate(dpop(token, proof("GET", URI, token).rawPayload(json).sign())),
        Reason.DPOP_PROOF_MALFORMED);
  }

  @Test
  void validateWhenProofHasCritThenMalformed() {
    assertRefused(() -> validator.validate(dpop(token, proof("GET", URI, token).header("crit", List.of("exp")).sign())),
        Reason.DPOP_PROOF_MALFORMED);
  }

  // ---------------------------------------------------------- check 4: alg

  @ParameterizedTest
  @ValueSource(strings = {"none", "HS256", "ES384", "RS512"})
  void validateWhenAlgIsNotAnAllowedAsymmetricAlgorithmThenAlgorithm(String alg) {
    assertRefused(() -> validator.validate(dpop(token, proof("GET", URI, token).header("alg", alg).sign())),
        Reason.DPOP_PROOF_ALGORITHM);
  }

  // ---------------------------------------------------------- check 5: jwk

  @Test
  void validateWhenJwkIsMissingThenKey() {
    assertRefused(() -> validator.validate(dpop(token, proof("GET", URI, token).header("jwk", null).sign())),
        Reason.DPOP_PROOF_KEY);
  }

  @Test
  void validateWhenJwkHasThePrivateKeyThenKey() {
    String p = proof("GET", URI, token).header("jwk", CLIENT_EC.toJSONObject()).sign();
    assertRefused(() -> validator.validate(dpop(token, p)), Reason.DPOP_PROOF_KEY).hasMessageContaining("'d'");
  }

  @Test
  void validateWhenJwkIsASymmetricKeyThenKey() {
    String p = proof("GET", URI, token).header("jwk", Map.of("kty", "oct", "k", "c2VjcmV0")).sign();
    assertRefused(() -> validator.validate(dpop(token, p)), Reason.DPOP_PROOF_KEY);
  }

  @Test
  void validateWhenJwkDoesNotFitTheAlgThenKey() {
    String p = proof("GET", URI, token).header("alg", "RS256").sign();
    assertRefused(() -> validator.validate(dpop(token, p)), Reason.DPOP_PROOF_KEY);
  }

  @Test
  void validateWhenJwkIsAShortRsaKeyThenKey() throws Exception {
    RSAKey weak = new RSAKeyGenerator(1024, true).generate();
    String weakBound = boundTo(issuer, weak);
    String p = new DpopProofs.Proof(weak, "GET", URI, weakBound).sign();
    assertRefused(() -> validator.validate(dpop(weakBound, p)), Reason.DPOP_PROOF_KEY).hasMessageContaining("2048");
  }

  @Test
  void validateWhenJwkIsNotAJsonObjectThenKey() {
    assertRefused(() -> validator.validate(dpop(token, proof("GET", URI, token).header("jwk", "key").sign())),
        Reason.DPOP_PROOF_KEY);
  }

  // ---------------------------------------------------------- check 6: signature

  @Test
  void validateWhenSignedByAnotherKeyThanItsJwkThenSignature() {
    String p = proof("GET", URI, token).signWith(OTHER_EC).sign();
    assertRefused(() -> validator.validate(dpop(token, p)), Reason.DPOP_PROOF_SIGNATURE);
  }

  @Test
  void validateWhenAClaimIsChangedAfterSigningThenSignature() {
    String[] good = proof("GET", URI, token).sign().split("\\.");
    String other = proof("POST", URI, token).sign().split("\\.")[1];
    assertRefused(() -> validator.validate(dpop(token, good[0] + "." + other + "." + good[2])), Reason.DPOP_PROOF_SIGNATURE);
  }

  // ---------------------------------------------------------- check 7: htm

  @ParameterizedTest
  @ValueSource(strings = {"POST", "get", "DELETE"})
  void validateWhenHtmIsNotTheMethodThenMethod(String htm) {
    assertRefused(() -> validator.validate(dpop(token, proof(htm, URI, token).sign())), Reason.DPOP_PROOF_METHOD);
  }

  // ---------------------------------------------------------- check 8: htu

  @ParameterizedTest
  @ValueSource(strings = {"https://api.tokenward.test/orders/1", "https://evil.test/orders", "http://api.tokenward.test/orders",
      "https://api.tokenward.test:8443/orders", "https://api.tokenward.test/Orders", "not a uri", "urn:x:y"})
  void validateWhenHtuIsAnotherUriThenUri(String htu) {
    assertRefused(() -> validator.validate(dpop(token, proof("GET", htu, token).sign())), Reason.DPOP_PROOF_URI);
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://api.tokenward.test/orders?page=2", "https://api.tokenward.test/orders#top",
      "HTTPS://API.TOKENWARD.TEST/orders", "https://api.tokenward.test:443/orders", "https://api.tokenward.test/a/../orders",
      "https://api.tokenward.test/%6Frders", "https://api.tokenward.test/./orders"})
  void validateWhenHtuIsTheSameUriSpelledOtherwiseThenAccepted(String htu) throws Exception {
    assertThat(validator.validate(dpop(token, proof("GET", htu, token).sign())).subject()).isEqualTo("auth0|user-1");
  }

  @Test
  void validateWhenRequestHasAQueryThenItIsIgnored() throws Exception {
    TokenRequest r = TokenRequest.builder("GET", URI + "?page=3").authorization("DPoP " + token)
        .dpopProof(proof("GET", URI, token).sign()).build();
    assertThat(validator.validate(r).subject()).isEqualTo("auth0|user-1");
  }

  @Test
  void validateWhenBehindAProxyThenHtuIsComparedWithTheExternalBaseUrl() throws Exception {
    AccessTokenValidator proxied = DpopTestSupport.validator(issuer, clock).externalBaseUrl("https://api.tokenward.test").build();
    TokenRequest arrived = TokenRequest.builder("GET", "http://10.0.0.7:8080/orders").authorization("DPoP " + token)
        .dpopProof(proof("GET", URI, token).sign()).build();
    assertThat(proxied.validate(arrived).subject()).isEqualTo("auth0|user-1");
    TokenRequest again = TokenRequest.builder("GET", "http://10.0.0.7:8080/orders").authorization("DPoP " + token)
        .dpopProof(proof("GET", URI, token).sign()).build();
    assertRefused(() -> validator.validate(again), Reason.DPOP_PROOF_URI).hasMessageContaining("external base URL");
  }

  // ---------------------------------------------------------- check 9-10: iat window, jti

  @Test
  void validateWhenProofIsOlderThanTheMaximumAgeThenTime() {
    String p = proof("GET", URI, token).claim("iat", clock.millis() / 1000).sign();
    clock.advanceSeconds(301);
    assertRefused(() -> validator.validate(dpop(token, p)), Reason.DPOP_PROOF_TIME).hasMessageContaining("300 s");
  }

  @Test
  void validateWhenProofIsJustWithinTheMaximumAgeThenAccepted() throws Exception {
    String p = proof("GET", URI, token).claim("iat", clock.millis() / 1000).sign();
    clock.advanceSeconds(299);
    assertThat(validator.validate(dpop(token, p)).subject()).isEqualTo("auth0|user-1");
  }

  @Test
  void validateWhenMaximumAgeIsConfiguredThenItApplies() {
    AccessTokenValidator strict = DpopTestSupport.validator(issuer, clock).dpopMaxAge(java.time.Duration.ofSeconds(30)).build();
    String p = proof("GET", URI, token).claim("iat", clock.millis() / 1000).sign();
    clock.advanceSeconds(31);
    assertRefused(() -> strict.validate(dpop(token, p)), Reason.DPOP_PROOF_TIME);
  }

  @Test
  void validateWhenIatIsFurtherInTheFutureThanTheSkewThenTime() {
    long future = clock.millis() / 1000 + 61;
    assertRefused(() -> validator.validate(dpop(token, proof("GET", URI, token).claim("iat", future).sign())),
        Reason.DPOP_PROOF_TIME).hasMessageContaining("future");
  }

  @Test
  void validateWhenIatIsInTheFutureWithinTheSkewThenAccepted() throws Exception {
    long future = clock.millis() / 1000 + 59;
    assertThat(validator.validate(dpop(token, proof("GET", URI, token).claim("iat", future).sign())).subject())
        .isEqualTo("auth0|user-1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"1700000000\"", "-1", "1e300"})
  void validateWhenIatIsNotADateThenMalformed(String iat) throws Exception {
    Object value = com.nimbusds.jose.util.JSONObjectUtils.parse("{\"v\":" + iat + "}").get("v");
    assertRefused(() -> validator.validate(dpop(token, proof("GET", URI, token).claim("iat", value).sign())),
        Reason.DPOP_PROOF_MALFORMED);
  }

  @Test
  void validateWhenTheSameProofComesTwiceThenReplay() throws Exception {
    String p = proof("GET", URI, token).sign();
    validator.validate(dpop(token, p));
    assertRefused(() -> validator.validate(dpop(token, p)), Reason.DPOP_PROOF_REPLAY);
  }

  @Test
  void validateWhenAnotherProofReusesTheJtiThenReplay() throws Exception {
    validator.validate(dpop(token, proof("GET", URI, token).claim("jti", "same-jti").sign()));
    clock.advanceSeconds(1);
    assertRefused(() -> validator.validate(dpop(token, proof("GET", URI, token).claim("jti", "same-jti").sign())),
        Reason.DPOP_PROOF_REPLAY);
  }

  @Test
  void validateWhenAReplayedProofHasLeftTheWindowThenItIsTooOldNotAccepted() throws Exception {
    String p = proof("GET", URI, token).claim("iat", clock.millis() / 1000).sign();
    validator.validate(dpop(token, p));
    clock.advanceSeconds(400);
    assertRefused(() -> validator.validate(dpop(token, p)), Reason.DPOP_PROOF_TIME);
  }

  @Test
  void validateWhenAProofIsRefusedForAnotherReasonThenItsJtiIsNotSpent() throws Exception {
    String p = proof("GET", URI, token).claim("jti", "kept").sign();
    String unbound = issuer.jwt().sign();
    assertRefused(() -> validator.validate(dpop(unbound, p)), Reason.DPOP_PROOF_TOKEN_HASH);
    assertThat(validator.validate(dpop(token, p)).subject()).isEqualTo("auth0|user-1");
  }

  @Test
  void validateWhenTheReplayStoreCannotAnswerThenUnavailableNeverAccepted() {
    AccessTokenValidator broken = DpopTestSupport.validator(issuer, clock)
        .dpopReplayStore((key, until) -> {
          throw new IOException("connection refused");
        }).build();
    TokenValidationException e = Forge.refusal(() -> broken.validate(dpop(token, proof("GET", URI, token).sign())));
    assertThat(e.reason()).isEqualTo(Reason.REPLAY_STORE_UNAVAILABLE);
    assertThat(e.httpStatus()).isEqualTo(503);
    assertThat(BearerErrorResponse.of(e, "tokenward").headers()).containsEntry("Retry-After", "5");
  }

  @Test
  void validateWhenTheReplayStoreThrowsAtRunTimeThenUnavailable() {
    AccessTokenValidator broken = DpopTestSupport.validator(issuer, clock)
        .dpopReplayStore((key, until) -> {
          throw new IllegalStateException("pool exhausted");
        }).build();
    assertRefused(() -> broken.validate(dpop(token, proof("GET", URI, token).sign())), Reason.REPLAY_STORE_UNAVAILABLE);
  }

  // ---------------------------------------------------------- check 11: ath

  @Test
  void validateWhenAthIsMissingThenTokenHash() {
    assertRefused(() -> validator.validate(dpop(token, proof("GET", URI, token).claim("ath", null).sign())),
        Reason.DPOP_PROOF_TOKEN_HASH);
  }

  @Test
  void validateWhenAthIsTheHashOfAnotherTokenThenTokenHash() {
    String other = issuer.jwt().claim("cnf", Map.of("jkt", DpopProofs.thumbprint(CLIENT_EC))).claim("jti", "another").sign();
    assertThat(other).isNotEqualTo(token);
    assertRefused(() -> validator.validate(dpop(token, proof("GET", URI, other).sign())), Reason.DPOP_PROOF_TOKEN_HASH);
  }

  // ---------------------------------------------------------- check 12: cnf.jkt

  @Test
  void validateWhenTokenIsBoundToAnotherKeyThenKeyMismatch() {
    String otherBound = boundTo(issuer, OTHER_EC);
    assertRefused(() -> validator.validate(dpop(otherBound, proof("GET", URI, otherBound).sign())), Reason.DPOP_KEY_MISMATCH);
  }

  @Test
  void validateWhenTokenIsNotBoundThenNotBound() {
    String unbound = issuer.jwt().sign();
    assertRefused(() -> validator.validate(dpop(unbound, proof("GET", URI, unbound).sign())), Reason.DPOP_TOKEN_NOT_BOUND);
  }

  @Test
  void validateWhenCnfIsNotAnObjectThenMalformed() {
    String odd = issuer.jwt().claim("cnf", "jkt").sign();
    assertRefused(() -> validator.validate(dpop(odd, proof("GET", URI, odd).sign())), Reason.MALFORMED);
  }

  @Test
  void validateWhenTheTokenItselfIsExpiredThenExpiredUnderADpopChallenge() {
    String expired = issuer.jwt().claim("cnf", Map.of("jkt", DpopProofs.thumbprint(CLIENT_EC)))
        .claim("exp", clock.millis() / 1000 - 120).sign();
    TokenValidationException e = Forge.refusal(() -> validator.validate(dpop(expired, proof("GET", URI, expired).sign())));
    assertThat(e.reason()).isEqualTo(Reason.EXPIRED);
    assertThat(BearerErrorResponse.of(e, "tokenward").challenge()).startsWith("DPoP realm=\"tokenward\", algs=\"")
        .contains("error=\"invalid_token\"");
  }

  // ---------------------------------------------------------- the Authorization header

  @Test
  void validateWhenTwoAuthorizationHeadersThenInvalidRequest() {
    TokenRequest r = DpopTestSupport.request().authorization(List.of("DPoP " + token, "Bearer " + token))
        .dpopProof(proof("GET", URI, token).sign()).build();
    assertRefused(() -> validator.validate(r), Reason.INVALID_REQUEST);
  }

  @ParameterizedTest
  @ValueSource(strings = {"DPoP", "DPoP ", "DPoP a b", "DPoP a\"b"})
  void validateWhenTheDpopValueIsEmptyOrNotAToken68ThenInvalidRequest(String header) {
    TokenRequest r = DpopTestSupport.request().authorization(header).build();
    assertRefused(() -> validator.validate(r), Reason.INVALID_REQUEST);
  }

  @Test
  void validateWhenAnotherSchemeThenMissingToken() {
    assertRefused(() -> validator.validate(DpopTestSupport.request().authorization("Basic dXNlcjpwYXNz").build()),
        Reason.MISSING_TOKEN);
  }

  // ---------------------------------------------------------- settings fail fast

  @ParameterizedTest
  @ValueSource(strings = {"none", "HS256", "HS512", "RSA1_5", ""})
  void buildWhenProofAlgorithmsHoldASymmetricOrUnknownAlgThenFails(String alg) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AccessTokenValidator.builder().dpopAlgorithms(alg))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("dpopAlgorithms:");
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://api.example.com/base", "api.example.com", "https://api.example.com?x", "ftp://a.b"})
  void buildWhenExternalBaseUrlIsNotSchemeHostPortThenFails(String base) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AccessTokenValidator.builder().externalBaseUrl(base))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("externalBaseUrl:");
  }

  @Test
  void buildWhenNonceSecretIsShortThenFails() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AccessTokenValidator.builder().dpopNonceSecret(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("dpopNonceSecret:");
  }

  @Test
  void proofAlgorithmsDefaultToTheContractsListAndEdDsaAdmitsEd25519() {
    assertThat(validator.dpopAlgorithms()).containsExactly("ES256", "EdDSA", "Ed25519", "RS256", "PS256");
  }
}
