package dev.tokenward.core;

import static dev.tokenward.core.DpopTestSupport.URI;
import static dev.tokenward.core.DpopTestSupport.boundTo;
import static dev.tokenward.core.DpopTestSupport.dpop;
import static dev.tokenward.core.ValidatorTestSupport.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.id.JWTID;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.io.IOException;
import java.net.URI;
import java.util.Date;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Interop with a DPoP client tokenward did not write: the Nimbus OAuth 2.0 SDK's
 * {@link DefaultDPoPProofFactory} makes the proofs. Its proofs are accepted, and each RFC 9449
 * section 4.3 check fails with its reason when that client is made to break it.
 */
class DpopInteropTest {
  private static ECKey ecKey;
  private static RSAKey rsaKey;

  private final FakeIssuer issuer = new FakeIssuer();
  private final ValidatorTestSupport.MutableClock clock = new ValidatorTestSupport.MutableClock();
  private final AccessTokenValidator validator = DpopTestSupport.validator(issuer, clock).build();

  @BeforeAll
  static void keys() throws Exception {
    ecKey = new ECKeyGenerator(Curve.P_256).generate();
    rsaKey = new RSAKeyGenerator(2048).generate();
  }

  @AfterEach
  void stop() throws IOException {
    issuer.close();
  }

  private static String proof(JWK key, JWSAlgorithm alg, String method, String uri, String token) throws Exception {
    return new DefaultDPoPProofFactory(key, alg).createDPoPJWT(method, new URI(uri), new DPoPAccessToken(token)).serialize();
  }

  @Test
  void nimbusEs256ProofIsAccepted() throws Exception {
    String token = boundTo(issuer, ecKey);
    assertThat(validator.validate(dpop(token, proof(ecKey, JWSAlgorithm.ES256, "GET", URI, token))).subject())
        .isEqualTo("auth0|user-1");
  }

  @Test
  void nimbusRs256AndPs256ProofsAreAccepted() throws Exception {
    String token = boundTo(issuer, rsaKey);
    assertThat(validator.validate(dpop(token, proof(rsaKey, JWSAlgorithm.RS256, "GET", URI, token))).subject())
        .isEqualTo("auth0|user-1");
    assertThat(validator.validate(dpop(token, proof(rsaKey, JWSAlgorithm.PS256, "GET", URI, token))).subject())
        .isEqualTo("auth0|user-1");
  }

  @Test
  void nimbusProofWithTheWrongMethodIsRefused() throws Exception {
    String token = boundTo(issuer, ecKey);
    assertRefused(() -> validator.validate(dpop(token, proof(ecKey, JWSAlgorithm.ES256, "POST", URI, token))),
        Reason.DPOP_PROOF_METHOD);
  }

  @Test
  void nimbusProofForAnotherUriIsRefused() throws Exception {
    String token = boundTo(issuer, ecKey);
    assertRefused(() -> validator.validate(dpop(token, proof(ecKey, JWSAlgorithm.ES256, "GET", URI + "/admin", token))),
        Reason.DPOP_PROOF_URI);
  }

  @Test
  void nimbusProofWithAnOldIatIsRefused() throws Exception {
    String token = boundTo(issuer, ecKey);
    Date old = new Date(clock.millis() - 301_000);
    String p = new DefaultDPoPProofFactory(ecKey, JWSAlgorithm.ES256)
        .createDPoPJWT(new JWTID(), "GET", new URI(URI), old, new DPoPAccessToken(token)).serialize();
    assertRefused(() -> validator.validate(dpop(token, p)), Reason.DPOP_PROOF_TIME);
  }

  @Test
  void nimbusProofReplayedIsRefused() throws Exception {
    String token = boundTo(issuer, ecKey);
    String p = proof(ecKey, JWSAlgorithm.ES256, "GET", URI, token);
    validator.validate(dpop(token, p));
    assertRefused(() -> validator.validate(dpop(token, p)), Reason.DPOP_PROOF_REPLAY);
  }

  @Test
  void nimbusProofForAnotherTokenIsRefused() throws Exception {
    String token = boundTo(issuer, ecKey);
    String other = issuer.jwt().claim("cnf", java.util.Map.of("jkt", DpopProofs.thumbprint(ecKey))).claim("jti", "2").sign();
    assertRefused(() -> validator.validate(dpop(token, proof(ecKey, JWSAlgorithm.ES256, "GET", URI, other))),
        Reason.DPOP_PROOF_TOKEN_HASH);
  }

  @Test
  void nimbusProofWithoutTheAccessTokenHashIsRefused() throws Exception {
    String token = boundTo(issuer, ecKey);
    String p = new DefaultDPoPProofFactory(ecKey, JWSAlgorithm.ES256).createDPoPJWT("GET", new URI(URI)).serialize();
    assertRefused(() -> validator.validate(dpop(token, p)), Reason.DPOP_PROOF_TOKEN_HASH);
  }

  @Test
  void nimbusProofByAnotherKeyThanTheTokenIsBoundToIsRefused() throws Exception {
    String token = boundTo(issuer, ecKey);
    ECKey other = new ECKeyGenerator(Curve.P_256).generate();
    assertRefused(() -> validator.validate(dpop(token, proof(other, JWSAlgorithm.ES256, "GET", URI, token))),
        Reason.DPOP_KEY_MISMATCH);
  }

  @Test
  void nimbusProofWithoutTheServerNonceIsRefusedAndWithItAccepted() throws Exception {
    AccessTokenValidator withNonces = DpopTestSupport.validator(issuer, clock).dpopNonce(true).build();
    String token = boundTo(issuer, ecKey);
    DefaultDPoPProofFactory client = new DefaultDPoPProofFactory(ecKey, JWSAlgorithm.ES256);
    TokenValidationException e = Forge.refusal(() -> withNonces.validate(dpop(token,
        client.createDPoPJWT("GET", new URI(URI), new DPoPAccessToken(token)).serialize())));
    assertThat(e.reason()).isEqualTo(Reason.DPOP_NONCE_REQUIRED);
    String nonce = BearerErrorResponse.of(e, "tokenward").headers().get("DPoP-Nonce");
    String retry = client.createDPoPJWT("GET", new URI(URI), new DPoPAccessToken(token), new Nonce(nonce)).serialize();
    assertThat(withNonces.validate(dpop(token, retry)).subject()).isEqualTo("auth0|user-1");
  }

  @Test
  void nimbusThumbprintEqualsTokenwardsForTheCnfJkt() throws Exception {
    // the SDK's own helper for cnf.jkt must name the same key the validator computes from the proof
    String jkt = com.nimbusds.oauth2.sdk.dpop.JWKThumbprintConfirmation.of(ecKey).getValue().toString();
    String token = issuer.jwt().claim("cnf", java.util.Map.of("jkt", jkt)).sign();
    assertThat(validator.validate(dpop(token, proof(ecKey, JWSAlgorithm.ES256, "GET", URI, token))).subject())
        .isEqualTo("auth0|user-1");
  }
}
