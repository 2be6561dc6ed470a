package dev.tokenward.core;

import static dev.tokenward.core.DpopProofs.CLIENT_EC;
import static dev.tokenward.core.DpopProofs.proof;
import static dev.tokenward.core.DpopTestSupport.URI;
import static dev.tokenward.core.DpopTestSupport.boundTo;
import static dev.tokenward.core.DpopTestSupport.dpop;
import static dev.tokenward.core.ValidatorTestSupport.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 9449 sections 8 and 9: stateless server nonces, rotating, shared by replicas with one secret. */
class DpopNonceTest {
  private static final byte[] SECRET = "a shared 32-byte nonce secret!!!".getBytes(StandardCharsets.US_ASCII);

  private final FakeIssuer issuer = new FakeIssuer();
  private final ValidatorTestSupport.MutableClock clock = new ValidatorTestSupport.MutableClock();
  private final String token = boundTo(issuer, CLIENT_EC);

  @AfterEach
  void stop() throws IOException {
    issuer.close();
  }

  private AccessTokenValidator replica(byte[] secret) {
    return DpopTestSupport.validator(issuer, clock).dpopNonce(true).dpopNonceSecret(secret)
        .dpopNonceRotation(Duration.ofSeconds(60)).build();
  }

  private String askForNonce(AccessTokenValidator v) {
    TokenValidationException e = Forge.refusal(() -> v.validate(dpop(token, proof("GET", URI, token).sign())));
    assertThat(e.reason()).isEqualTo(Reason.DPOP_NONCE_REQUIRED);
    assertThat(e.errorCode()).isEqualTo("use_dpop_nonce");
    return e.dpopNonce().orElseThrow();
  }

  @Test
  void validateWhenTheProofCarriesTheServersNonceThenAccepted() throws Exception {
    AccessTokenValidator v = replica(SECRET);
    String nonce = askForNonce(v);
    assertThat(v.validate(dpop(token, proof("GET", URI, token).claim("nonce", nonce).sign())).subject())
        .isEqualTo("auth0|user-1");
  }

  @Test
  void validateWhenTheNonceIsFromThePreviousSlotThenAcceptedAndTwoSlotsOldThenRefused() throws Exception {
    AccessTokenValidator v = replica(SECRET);
    String nonce = askForNonce(v);
    clock.advanceSeconds(60);
    assertThat(v.validate(dpop(token, proof("GET", URI, token).claim("nonce", nonce).sign())).subject())
        .isEqualTo("auth0|user-1");
    assertThat(v.dpopNonce(DpopTestSupport.request().build())).get().isNotEqualTo(nonce);
    clock.advanceSeconds(60);
    TokenValidationException e = Forge.refusal(
        () -> v.validate(dpop(token, proof("GET", URI, token).claim("nonce", nonce).sign())));
    assertThat(e.reason()).isEqualTo(Reason.DPOP_NONCE_REQUIRED);
    assertThat(e.description()).contains("stale");
    assertThat(e.dpopNonce()).get().isNotEqualTo(nonce);
  }

  @Test
  void validateWhenAnotherReplicaWithTheSameSecretIssuedTheNonceThenAccepted() throws Exception {
    String nonce = askForNonce(replica(SECRET));
    AccessTokenValidator other = replica(SECRET.clone());
    assertThat(other.validate(dpop(token, proof("GET", URI, token).claim("nonce", nonce).sign())).subject())
        .isEqualTo("auth0|user-1");
  }

  @Test
  void validateWhenAServiceWithAnotherSecretIssuedTheNonceThenRefused() {
    String nonce = askForNonce(replica("another 32-byte nonce secret!!!!".getBytes(StandardCharsets.US_ASCII)));
    assertRefused(() -> replica(SECRET).validate(dpop(token, proof("GET", URI, token).claim("nonce", nonce).sign())),
        Reason.DPOP_NONCE_REQUIRED);
  }

  @Test
  void validateWhenNoSecretIsSetThenEachValidatorHasItsOwnEvenFromOneBuilder() throws Exception {
    AccessTokenValidator.Builder builder = DpopTestSupport.validator(issuer, clock).dpopNonce(true)
        .dpopNonceRotation(Duration.ofSeconds(60));
    AccessTokenValidator first = builder.build();
    AccessTokenValidator second = builder.build();
    String nonce = askForNonce(first);
    assertThat(first.validate(dpop(token, proof("GET", URI, token).claim("nonce", nonce).sign())).subject())
        .isEqualTo("auth0|user-1");
    assertRefused(() -> second.validate(dpop(token, proof("GET", URI, token).claim("nonce", nonce).sign())),
        Reason.DPOP_NONCE_REQUIRED); // replicas that must accept each other's nonces set dpopNonceSecret
  }

  @Test
  void validateWhenTheNonceIsForgedThenRefused() {
    AccessTokenValidator v = replica(SECRET);
    String genuine = askForNonce(v);
    char[] c = genuine.toCharArray();
    c[c.length - 2] = c[c.length - 2] == 'A' ? 'B' : 'A';
    for (String forged : new String[] {new String(c), "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "x", "!!"}) {
      assertRefused(() -> v.validate(dpop(token, proof("GET", URI, token).claim("nonce", forged).sign())),
          Reason.DPOP_NONCE_REQUIRED);
    }
  }

  @Test
  void validateWhenNoncesAreOffThenAProofWithoutOneIsAcceptedAndNoNonceIsOffered() throws Exception {
    AccessTokenValidator v = DpopTestSupport.validator(issuer, clock).build();
    assertThat(v.validate(dpop(token, proof("GET", URI, token).sign())).subject()).isEqualTo("auth0|user-1");
    assertThat(v.dpopNonce(DpopTestSupport.request().build())).isEmpty();
  }

  @Test
  void validateWhenOnlyTheEndpointRequiresNoncesThenTheyAreRequiredThere() throws Exception {
    AccessTokenValidator v = DpopTestSupport.validator(issuer, clock).build();
    TokenRequest strict = DpopTestSupport.request().authorization("DPoP " + token)
        .dpopProof(proof("GET", URI, token).sign()).dpopNonceRequired(true).build();
    TokenValidationException e = Forge.refusal(() -> v.validate(strict));
    assertThat(e.reason()).isEqualTo(Reason.DPOP_NONCE_REQUIRED);
    TokenRequest retry = DpopTestSupport.request().authorization("DPoP " + token)
        .dpopProof(proof("GET", URI, token).claim("nonce", e.dpopNonce().orElseThrow()).sign()).dpopNonceRequired(true).build();
    assertThat(v.validate(retry).subject()).isEqualTo("auth0|user-1");
  }

  @Test
  void dpopNonceWhenNoncesAreOnThenAFreshOneIsOfferedForSuccessfulAnswers() {
    AccessTokenValidator v = replica(SECRET);
    assertThat(v.dpopNonce(DpopTestSupport.request().build())).get().asString().matches("[A-Za-z0-9_-]{32}");
  }

  @Test
  void validateWhenNoncesAreOnThenEveryDpopRefusalCarriesAFreshNonce() {
    AccessTokenValidator v = replica(SECRET);
    TokenValidationException e = Forge.refusal(() -> v.validate(dpop(token, proof("POST", URI, token).sign())));
    assertThat(e.reason()).isEqualTo(Reason.DPOP_PROOF_METHOD);
    assertThat(BearerErrorResponse.of(e, "tokenward").headers()).containsKey("DPoP-Nonce");
  }

  @Test
  void buildWhenRotationIsOutOfRangeThenFails() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AccessTokenValidator.builder().dpopNonceRotation(Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("dpopNonceRotation:");
  }
}
