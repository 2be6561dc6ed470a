package dev.tokenward.core;

import static dev.tokenward.core.DpopProofs.CLIENT_EC;
import static dev.tokenward.core.DpopProofs.OTHER_EC;
import static dev.tokenward.core.DpopProofs.proof;
import static dev.tokenward.core.DpopTestSupport.URI;
import static dev.tokenward.core.DpopTestSupport.boundTo;
import static dev.tokenward.core.DpopTestSupport.dpop;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client's proofs share one header (typ, alg, jwk), so the verifier reads that header once and keeps the
 * checked key per header segment: the signature, the claims and the binding are still checked on every proof.
 */
class DpopProofKeyCacheTest {
  private final FakeIssuer issuer = new FakeIssuer();
  private final ValidatorTestSupport.MutableClock clock = new ValidatorTestSupport.MutableClock();
  private final AccessTokenValidator validator = DpopTestSupport.validator(issuer, clock).build();
  private final String bound = boundTo(issuer, CLIENT_EC);

  @AfterEach
  void stop() throws IOException {
    issuer.close();
  }

  private static String header(String proof) {
    return proof.substring(0, proof.indexOf('.'));
  }

  @Test
  void validateWhenAClientSendsManyProofsThenEachIsAcceptedWithTheSameHeader() throws Exception {
    String first = proof("GET", URI, bound).sign();
    String second = proof("GET", URI, bound).sign();
    assertThat(header(first)).isEqualTo(header(second));
    assertThat(validator.validate(dpop(bound, first)).subject()).isEqualTo("auth0|user-1");
    assertThat(validator.validate(dpop(bound, second)).subject()).isEqualTo("auth0|user-1");
  }

  @Test
  void validateWhenAKnownHeaderComesWithAForgedSignatureThenSignatureIsStillChecked() throws Exception {
    String genuine = proof("GET", URI, bound).sign();
    validator.validate(dpop(bound, genuine)); // the header is now known
    String forged = proof("GET", URI, bound).signWith(OTHER_EC).sign(); // same header, another key signs
    assertThat(header(forged)).isEqualTo(header(genuine));
    TokenValidationException e = Forge.refusal(() -> validator.validate(dpop(bound, forged)));
    assertThat(e.reason()).isEqualTo(Reason.DPOP_PROOF_SIGNATURE);
  }

  @Test
  void validateWhenAKnownHeaderComesWithClaimsThatFailThenTheyAreStillChecked() throws Exception {
    validator.validate(dpop(bound, proof("GET", URI, bound).sign()));
    assertThat(Forge.refusal(() -> validator.validate(dpop(bound, proof("POST", URI, bound).sign()))).reason())
        .isEqualTo(Reason.DPOP_PROOF_METHOD);
    assertThat(Forge.refusal(() -> validator.validate(dpop(bound, proof("GET", URI, "another-token").sign()))).reason())
        .isEqualTo(Reason.DPOP_PROOF_TOKEN_HASH);
    String other = boundTo(issuer, OTHER_EC); // the cached thumbprint is still compared with each token's cnf.jkt
    assertThat(Forge.refusal(() -> validator.validate(dpop(other, proof("GET", URI, other).sign()))).reason())
        .isEqualTo(Reason.DPOP_KEY_MISMATCH);
  }

  @Test
  void validateWhenARefusedHeaderComesAgainThenItIsRefusedAgain() {
    for (int i = 0; i < 2; i++) {
      String proof = proof("GET", URI, bound).header("alg", "HS256").sign();
      assertThat(Forge.refusal(() -> validator.validate(dpop(bound, proof))).reason()).isEqualTo(Reason.DPOP_PROOF_ALGORITHM);
    }
  }

  @Test
  void validateWhenAnotherValidatorAllowsFewerAlgorithmsThenAHeaderKnownToTheFirstIsRefusedThere() throws Exception {
    String proof = proof("GET", URI, bound).sign();
    validator.validate(dpop(bound, proof));
    AccessTokenValidator strict = DpopTestSupport.validator(issuer, clock).dpopAlgorithms("EdDSA").build();
    assertThat(Forge.refusal(() -> strict.validate(dpop(bound, proof("GET", URI, bound).sign()))).reason())
        .isEqualTo(Reason.DPOP_PROOF_ALGORITHM);
  }
}
