package dev.tokenward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The DPoP keys of the settings model (shared/SAMPLES-CONTRACT.md "Sender-constrained tokens"). */
class DpopSettingsTest {
  private static final String ISSUER = "https://tenant.auth0.com/";
  private static final String API = "https://api.example.com";

  @Test
  void validatorWhenNoDpopKeyIsSetThenTheContractsDefaults() {
    try (AccessTokenValidator v = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", ISSUER,
        "TOKENWARD_AUDIENCE", API)).validator()) {
      assertThat(v.issuers().get(0).dpopPolicy()).isEqualTo(DpopPolicy.ALLOWED);
      assertThat(v.issuers().get(0).dpopNonceRequired()).isFalse();
      assertThat(v.dpopAlgorithms()).containsExactly("ES256", "EdDSA", "Ed25519", "RS256", "PS256");
      assertThat(v.clientCertificateHeader()).isEmpty();
    }
  }

  @Test
  void validatorWhenDpopKeysAreSetThenTheyApply() {
    try (AccessTokenValidator v = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", ISSUER,
        "TOKENWARD_AUDIENCE", API, "TOKENWARD_DPOP", "Required", "TOKENWARD_DPOP_NONCE", "true",
        "TOKENWARD_DPOP_ALGORITHMS", "ES256, PS256", "TOKENWARD_DPOP_MAX_AGE_SECONDS", "60",
        "TOKENWARD_BASE_URL", "https://api.example.com", "TOKENWARD_CLIENT_CERTIFICATE_HEADER", "Client-Cert",
        "TOKENWARD_DPOP_NONCE_SECRET", "a shared 32-byte nonce secret!!!")).validator()) {
      assertThat(v.issuers().get(0).dpopPolicy()).isEqualTo(DpopPolicy.REQUIRED);
      assertThat(v.issuers().get(0).dpopNonceRequired()).isTrue();
      assertThat(v.dpopAlgorithms()).containsExactly("ES256", "PS256");
      assertThat(v.clientCertificateHeader()).contains("Client-Cert");
      assertThat(v.dpopNonce(TokenRequest.builder("GET", API + "/x").build())).isPresent();
    }
  }

  @Test
  void validatorWhenAProofAlgorithmIsSymmetricThenFailsNamingTheVariable() {
    TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", ISSUER, "TOKENWARD_AUDIENCE", API,
        "TOKENWARD_DPOP_ALGORITHMS", "ES256,HS256"));
    assertThatThrownBy(config::validator).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("TOKENWARD_DPOP_ALGORITHMS").hasMessageContaining("HS256");
  }

  @Test
  void validatorWhenThePolicyIsMisspeltThenDidYouMean() {
    assertThatThrownBy(() -> TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", ISSUER, "TOKENWARD_AUDIENCE", API,
        "TOKENWARD_DPOP", "requierd")).validator()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TOKENWARD_DPOP: 'requierd' is not one of off, allowed, required; did you mean required?");
  }

  @Test
  void validatorWhenTheBaseUrlHasAPathThenFailsNamingTheVariable() {
    TokenwardConfig config = TokenwardConfig.fromEnvironment(Map.of("TOKENWARD_ISSUER", ISSUER, "TOKENWARD_AUDIENCE", API,
        "TOKENWARD_BASE_URL", "https://api.example.com/v1"));
    assertThatThrownBy(config::validator).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("TOKENWARD_BASE_URL");
  }
}
