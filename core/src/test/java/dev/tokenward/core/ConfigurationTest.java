package dev.tokenward.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConfigurationTest {
  private static final String ISSUER = "https://tenant.auth0.com/";

  @Test
  void buildWhenNoAudienceThenFailsNamingAudience() {
    assertThatThrownBy(() -> AccessTokenValidator.builder().issuer(ISSUER).build())
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("audience:");
  }

  @Test
  void buildWhenNoIssuerThenFailsNamingIssuer() {
    assertThatThrownBy(() -> AccessTokenValidator.builder().build()).hasMessageStartingWith("issuer:");
  }

  @Test
  void buildWhenSettersCalledBeforeIssuerThenTheyConfigureIt() {
    TrustedIssuer built = AccessTokenValidator.builder().audience("a").algorithms("ES256").issuer(ISSUER).build()
        .issuers().get(0);
    assertThat(built.issuer()).isEqualTo(ISSUER);
    assertThat(built.audiences()).containsExactly("a");
    assertThat(built.algorithms()).containsExactly("ES256");
  }

  @Test
  void buildWhenSingleIssuerSettersButNoIssuerThenFailsNamingIssuer() {
    assertThatThrownBy(() -> AccessTokenValidator.builder().audience("a").build())
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("issuer: required;");
  }

  @Test
  void issuerWhenCalledTwiceThenFails() {
    assertThatThrownBy(() -> AccessTokenValidator.builder().audience("a").issuer(ISSUER).issuer(ISSUER))
        .hasMessageStartingWith("issuer: already set");
  }

  @Test
  void algorithmsWhenNoneInAnySpellingThenRefused() {
    for (String none : new String[] {"none", "NONE", "None", " none "}) {
      assertThatThrownBy(() -> AccessTokenValidator.builder().issuer(ISSUER).algorithms("RS256", none))
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("algorithms: 'none' is never allowed");
    }
  }

  @Test
  void algorithmsWhenUnknownThenRefusedListingSupported() {
    assertThatThrownBy(() -> AccessTokenValidator.builder().issuer(ISSUER).algorithms("RS1"))
        .hasMessageContaining("unknown or unsupported JWS algorithm 'RS1'").hasMessageContaining("PS256");
  }

  @Test
  void buildWhenHs256WithoutSecretThenFails() {
    assertThatThrownBy(() -> AccessTokenValidator.builder().issuer(ISSUER).audience("a").algorithms("HS256").build())
        .hasMessageStartingWith("algorithms: HS256 needs hmacSecret");
  }

  @Test
  void buildWhenHs256SecretShorterThan256BitsThenFails() {
    assertThatThrownBy(() -> AccessTokenValidator.builder().issuer(ISSUER).audience("a").algorithms("HS256")
        .hmacSecret(new byte[31]).build())
        .hasMessage("hmacSecret: HS256 needs a secret of at least 256 bits; this one has 248");
  }

  @Test
  void buildWhenSecretButNoHmacAlgorithmThenFails() {
    assertThatThrownBy(() -> AccessTokenValidator.builder().issuer(ISSUER).audience("a").hmacSecret(new byte[32]).build())
        .hasMessageStartingWith("hmacSecret: set, but no HS256");
  }

  @Test
  void buildWhenRemoteHttpIssuerThenFailsUnlessAllowed() {
    assertThatThrownBy(() -> AccessTokenValidator.builder().issuer("http://tenant.example/").audience("a").build())
        .hasMessageStartingWith("issuer: http is only allowed for loopback hosts");
    assertThat(AccessTokenValidator.builder().issuer("http://tenant.example/").audience("a").allowHttp(true).build()
        .issuers()).hasSize(1);
    assertThat(AccessTokenValidator.builder().issuer("http://localhost:8080/").audience("a").build().issuers()).hasSize(1);
  }

  @Test
  void buildWhenIntrospectPolicyWithoutCredentialsThenFails() {
    assertThatThrownBy(() -> AccessTokenValidator.builder().issuer(ISSUER).audience("a")
        .opaqueTokens(OpaqueTokenPolicy.INTROSPECT).build()).hasMessageStartingWith("opaqueTokens: INTROSPECT needs");
  }

  @Test
  void buildWhenSameIssuerTwiceThenFails() {
    TrustedIssuer again = TrustedIssuer.builder("https://tenant.auth0.com").audience("b").build();
    assertThatThrownBy(() -> AccessTokenValidator.builder().issuer(ISSUER).audience("a").issuer(again).build())
        .hasMessage("issuer: https://tenant.auth0.com is configured twice");
  }

  @Test
  void settersWhenOutOfRangeThenFailNamingSetting() {
    AccessTokenValidator.Builder b = AccessTokenValidator.builder();
    assertThatThrownBy(() -> b.clockSkew(Duration.ofMinutes(11))).hasMessageStartingWith("clockSkew:");
    assertThatThrownBy(() -> b.maxTokenAge(Duration.ZERO)).hasMessageStartingWith("maxTokenAge:");
    assertThatThrownBy(() -> b.maxTokenLength(10)).hasMessageStartingWith("maxTokenLength:");
    assertThatThrownBy(() -> b.jwksRefetchCooldown(Duration.ZERO)).hasMessageStartingWith("jwksRefetchCooldown:");
    assertThatThrownBy(() -> b.tokenCache(0, Duration.ofMinutes(1))).hasMessageStartingWith("tokenCache:");
  }

  @Test
  void trustedIssuerWhenBuiltThenDefaultsAreStrict() {
    TrustedIssuer t = TrustedIssuer.builder(ISSUER).audience("a").build();
    assertThat(t.algorithms()).containsExactly("RS256");
    assertThat(t.opaqueTokens()).isEqualTo(OpaqueTokenPolicy.REJECT);
    assertThat(t.toString()).doesNotContain("secret");
  }
}
