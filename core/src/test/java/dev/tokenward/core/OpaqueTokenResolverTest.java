package dev.tokenward.core;

import static dev.tokenward.core.ValidatorTestSupport.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 item 5: with several issuers accepting opaque tokens, the application's resolver picks
 * the issuer per request, and no other issuer ever sees the token. (The build failure without a
 * resolver is in AttackCatalogueTest.)
 */
class OpaqueTokenResolverTest {
  private static final String TOKEN = "x7Hk2mPq9RtY4wZ8vB3nL6jD1fG5sA0c";
  private final FakeIssuer ours = new FakeIssuer();
  private final FakeIssuer partner = new FakeIssuer();

  @AfterEach
  void stop() throws Exception {
    ours.close();
    partner.close();
  }

  private AccessTokenValidator.Builder both() {
    return AccessTokenValidator.builder()
        .issuer(TrustedIssuer.builder(partner.issuer()).audience(FakeIssuer.AUDIENCE)
            .opaqueTokens(OpaqueTokenPolicy.USERINFO).build())
        .issuer(TrustedIssuer.builder(ours.issuer()).audience(FakeIssuer.AUDIENCE)
            .opaqueTokens(OpaqueTokenPolicy.USERINFO).build());
  }

  private OpaqueTokenResolver byHost() {
    return uri -> uri == null ? Optional.empty()
        : Optional.of(uri.getHost().equals("partner-api.example") ? partner.issuer() : ours.issuer());
  }

  @Test
  void validateWhenResolverChoosesAnIssuerThenOnlyThatIssuerIsAsked() throws Exception {
    ours.opaque(TOKEN, Map.of("sub", "our-user"));
    partner.opaque(TOKEN, Map.of("sub", "partner-user"));
    AccessTokenValidator validator = both().opaqueTokenResolver(byHost()).build();

    VerifiedToken token = validator.validate(TOKEN, URI.create("https://api.example/orders"));

    assertThat(token.subject()).isEqualTo("our-user");
    assertThat(token.issuer()).isEqualTo(ours.issuer());
    assertThat(ours.hits("/userinfo")).isEqualTo(1);
    assertThat(partner.requests()).isEmpty();
  }

  @Test
  void validateWhenResolverChoosesThePartnerThenOnlyThePartnerIsAsked() throws Exception {
    partner.opaque(TOKEN, Map.of("sub", "partner-user"));
    AccessTokenValidator validator = both().opaqueTokenResolver(byHost()).build();

    assertThat(validator.validate(TOKEN, URI.create("https://partner-api.example/x")).subject()).isEqualTo("partner-user");
    assertThat(ours.requests()).isEmpty();
  }

  @Test
  void validateWithoutRequestWhenResolverChoosesNoneThenOpaqueRejectedAndNobodyAsked() {
    AccessTokenValidator validator = both().opaqueTokenResolver(byHost()).build();
    assertRefused(() -> validator.validate(TOKEN), Reason.OPAQUE_REJECTED).hasMessageContaining("resolver chose no issuer");
    assertThat(ours.requests()).isEmpty();
    assertThat(partner.requests()).isEmpty();
  }

  @Test
  void validateWhenResolverNamesAnIssuerThatIsNotConfiguredThenOpaqueRejected() {
    AccessTokenValidator validator = both().opaqueTokenResolver(uri -> Optional.of("https://elsewhere.example/")).build();
    assertRefused(() -> validator.validate(TOKEN, URI.create("https://api.example/")), Reason.OPAQUE_REJECTED)
        .hasMessageContaining("not a configured issuer that accepts opaque tokens");
  }

  // Only one issuer accepts opaque tokens: unchanged, no resolver needed, the other is never asked.
  @Test
  void buildWhenOnlyOneIssuerAcceptsOpaqueTokensThenNoResolverIsNeeded() throws Exception {
    ours.opaque(TOKEN, Map.of("sub", "our-user"));
    AccessTokenValidator validator = AccessTokenValidator.builder()
        .issuer(TrustedIssuer.builder(partner.issuer()).audience(FakeIssuer.AUDIENCE).build())
        .issuer(TrustedIssuer.builder(ours.issuer()).audience(FakeIssuer.AUDIENCE)
            .opaqueTokens(OpaqueTokenPolicy.USERINFO).build())
        .build();
    assertThat(validator.validate(TOKEN).subject()).isEqualTo("our-user");
    assertThat(partner.requests()).isEmpty();
  }

  @Test
  void buildWhenResolverButNoIssuerAcceptsOpaqueTokensThenFailsNamingTheSetting() {
    assertThatThrownBy(() -> AccessTokenValidator.builder().issuer(ours.issuer()).audience(FakeIssuer.AUDIENCE)
        .opaqueTokenResolver(byHost()).build())
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("opaqueTokenResolver:");
  }
}
