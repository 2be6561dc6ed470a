package dev.tokenward.core;

import static dev.tokenward.core.ValidatorTestSupport.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 10 item 17: descriptions that misled a new user. Each failed on 77aec1e as its comment says;
 * reasons are unchanged, only the words now say what to do.
 */
class ErrorAdviceTest {
  private final FakeIssuer issuer = new FakeIssuer();

  @AfterEach
  void stop() throws Exception {
    issuer.close();
  }

  private AccessTokenValidator.Builder base() {
    return AccessTokenValidator.builder().issuer(issuer.issuer()).audience(FakeIssuer.AUDIENCE);
  }

  // Was: "it has a character outside the base64url alphabet", which sends the user looking at the token.
  @Test
  void validateWhenTokenStillCarriesTheBearerSchemeThenSaysToStripIt() {
    String jwt = issuer.jwt().sign();
    for (String withScheme : List.of("Bearer " + jwt, "bearer " + jwt, "Bearer abc.def.ghi")) {
      assertRefused(() -> base().build().validate(withScheme), Reason.MALFORMED)
          .hasMessageContaining("'Bearer ' prefix").hasMessageContaining("without")
          .hasMessageNotContaining("base64url alphabet").hasMessageNotContaining(jwt);
    }
  }

  @Test
  void validateWhenLeadingWhitespaceThenSaysToStripIt() {
    String jwt = issuer.jwt().sign();
    assertRefused(() -> base().build().validate(" " + jwt), Reason.MALFORMED)
        .hasMessageContaining("leading whitespace").hasMessageContaining("strip");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\n", "\r\n", " ", "\t"})
  void validateWhenTrailingWhitespaceOrLineBreakThenSaysToStripIt(String tail) {
    String jwt = issuer.jwt().sign();
    assertRefused(() -> base().build().validate(jwt + tail), Reason.MALFORMED)
        .hasMessageContaining("trailing").hasMessageContaining("strip");
  }

  // The same advice for a value that is not three segments, and it is never sent to the issuer.
  @Test
  void validateWhenOpaqueTokenCarriesTheBearerSchemeThenSaysToStripItAndNeverAsks() {
    AccessTokenValidator validator = base().opaqueTokens(OpaqueTokenPolicy.USERINFO).build();
    assertRefused(() -> validator.validate("Bearer x7Hk2mPq9RtY4wZ8"), Reason.MALFORMED)
        .hasMessageContaining("'Bearer ' prefix");
    assertRefused(() -> validator.validate("x7Hk2mPq9RtY4wZ8\n"), Reason.MALFORMED).hasMessageContaining("trailing");
    assertThat(issuer.hits("/userinfo")).isZero();
  }

  // Was: the advice named whichever audience a Set.copyOf happened to iterate first (the second of
  // two, in the trial). With eight audiences the old code named the first one 1 time in 8.
  @Test
  void opaqueTokenAdviceNamesTheFirstConfiguredAudience() {
    List<String> audiences = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      audiences.add("https://api-" + i + ".example");
    }
    AccessTokenValidator validator = AccessTokenValidator.builder().issuer(issuer.issuer())
        .audience(audiences.toArray(new String[0])).build();
    assertRefused(() -> validator.validate("x7Hk2mPq9RtY4wZ8"), Reason.OPAQUE_REJECTED)
        .hasMessageEndingWith("audience=https://api-1.example");
    assertThat(validator.issuers().get(0).audiences()).containsExactlyElementsOf(audiences);
  }

  // Was: "the issuer's signing keys (JWKS) cannot be fetched from <issuer>" although discovery failed.
  @Test
  void discoveryFailureNamesTheDiscoveryUrlAndWhatWentWrong() {
    issuer.answer("/.well-known/openid-configuration", new MockResponse().setResponseCode(500));
    assertRefused(() -> base().build().validate(issuer.jwt().sign()), Reason.ISSUER_UNAVAILABLE)
        .hasMessageContaining("discovery document")
        .hasMessageContaining(issuer.url("/.well-known/openid-configuration"))
        .hasMessageContaining("HTTP 500")
        .hasMessageNotContaining("(JWKS)");
  }

  @Test
  void jwksFailureNamesTheJwksUrlAndWhatWentWrong() {
    issuer.answer("/.well-known/jwks.json", new MockResponse().setResponseCode(502));
    assertRefused(() -> base().build().validate(issuer.jwt().sign()), Reason.ISSUER_UNAVAILABLE)
        .hasMessageContaining("JWKS")
        .hasMessageContaining(issuer.url("/.well-known/jwks.json"))
        .hasMessageContaining("HTTP 502");
  }
}
