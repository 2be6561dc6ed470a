package dev.tokenward.core;

import static dev.tokenward.core.ValidatorTestSupport.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JwtValidationTest {
  private final FakeIssuer issuer = new FakeIssuer();
  private final AccessTokenValidator validator = AccessTokenValidator.builder()
      .issuer(issuer.issuer())
      .audience(FakeIssuer.AUDIENCE)
      .build();

  @AfterEach
  void stop() throws Exception {
    issuer.close();
  }

  @Test
  void validateWhenAuth0ShapedTokenThenReturnsClaims() throws Exception {
    VerifiedToken token = validator.validate(issuer.jwt().sign());

    assertThat(token.kind()).isEqualTo(TokenKind.JWT);
    assertThat(token.subject()).isEqualTo("auth0|user-1");
    assertThat(token.issuer()).isEqualTo(issuer.issuer());
    assertThat(token.audiences()).containsExactly(FakeIssuer.AUDIENCE, issuer.issuer() + "userinfo");
    assertThat(token.scopes()).containsExactly("openid", "read:messages");
    assertThat(token.permissions()).containsExactly("read:messages");
    assertThat(token.algorithm()).contains("RS256");
    assertThat(token.keyId()).contains("rsa-1");
  }

  @Test
  void validateWhenAudienceIsStringThenAccepts() throws Exception {
    VerifiedToken token = validator.validate(issuer.jwt().claim("aud", FakeIssuer.AUDIENCE).sign());
    assertThat(token.audiences()).containsExactly(FakeIssuer.AUDIENCE);
  }

  @Test
  void validateWhenAudienceIsOtherApiThenWrongAudience() {
    assertRefused(() -> validator.validate(issuer.jwt().claim("aud", "https://other.api").sign()), Reason.WRONG_AUDIENCE)
        .hasMessageContaining("'https://other.api'").hasMessageContaining(FakeIssuer.AUDIENCE);
  }

  @Test
  void validateWhenOnlyUserinfoAudienceThenHintsAtAudienceParameter() {
    assertRefused(() -> validator.validate(issuer.jwt().claim("aud", issuer.issuer() + "userinfo").sign()),
        Reason.WRONG_AUDIENCE).hasMessageContaining("audience=" + FakeIssuer.AUDIENCE);
  }

  @Test
  void validateWhenIdTokenThenIdTokenReasonWithAdvice() {
    String idToken = issuer.jwt().claim("aud", "client-1").claim("nonce", "n-0S6").claim("scope", null)
        .header("typ", "JWT").sign();
    assertRefused(() -> validator.validate(idToken), Reason.ID_TOKEN)
        .hasMessageContaining("ID token").hasMessageContaining("send the access token");
  }

  @Test
  void validateWhenIssuerDiffersByTrailingSlashThenSaysSo() {
    String noSlash = issuer.issuer().substring(0, issuer.issuer().length() - 1);
    assertRefused(() -> validator.validate(issuer.jwt().claim("iss", noSlash).sign()), Reason.WRONG_ISSUER)
        .hasMessageContaining("trailing slash");
  }

  @Test
  void validateWhenIssuerUnknownThenWrongIssuerAndNoRequestToIt() {
    assertRefused(() -> validator.validate(issuer.jwt().claim("iss", "https://evil.example/").sign()),
        Reason.WRONG_ISSUER);
    assertThat(issuer.requests()).isEmpty();
  }

  @Test
  void validateWhenExpiredBeyondSkewThenExpired() {
    long now = Instant.now().getEpochSecond();
    assertRefused(() -> validator.validate(issuer.jwt().claim("exp", now - 61).sign()), Reason.EXPIRED);
  }

  @Test
  void validateWhenExpiredWithinSkewThenAccepts() throws Exception {
    long now = Instant.now().getEpochSecond();
    assertThat(validator.validate(issuer.jwt().claim("exp", now - 30).sign()).subject()).isEqualTo("auth0|user-1");
  }

  @Test
  void validateWhenSignedWithUnpublishedKeyThenUnknownKey() {
    String token = issuer.jwt().signWith(FakeIssuer.rsaKey(2)).sign();
    assertRefused(() -> validator.validate(token), Reason.UNKNOWN_KEY).hasMessageContaining("'rsa-3'");
  }

  @Test
  void validateWhenKnownKidButForeignKeyThenBadSignature() {
    String token = issuer.jwt().signWith(FakeIssuer.rsaKey(2)).header("kid", "rsa-1").sign();
    assertRefused(() -> validator.validate(token), Reason.BAD_SIGNATURE);
  }

  @Test
  void validateWhenAlgNoneThenDisallowed() {
    String token = issuer.jwt().header("alg", "none").unsigned("");
    assertRefused(() -> validator.validate(token), Reason.MALFORMED);
    String withSig = issuer.jwt().header("alg", "nOnE").unsigned("AAAA");
    assertRefused(() -> validator.validate(withSig), Reason.DISALLOWED_ALGORITHM);
  }

  @Test
  void validateWhenEs256NotAllowedThenDisallowedAlgorithm() {
    assertRefused(() -> validator.validate(issuer.jwt().signWith(FakeIssuer.ecKey()).sign()),
        Reason.DISALLOWED_ALGORITHM).hasMessageContaining("[RS256]");
  }

  @Test
  void validateWhenOpaqueTokenAndRejectPolicyThenAdvisesAudience() {
    assertRefused(() -> validator.validate("abcdefghijklmnopqrstuvwxyz012345"), Reason.OPAQUE_REJECTED)
        .hasMessageContaining("audience=" + FakeIssuer.AUDIENCE);
  }

  @Test
  void validateWhenSameTokenTwiceThenJwksFetchedOnce() throws Exception {
    String token = issuer.jwt().sign();
    validator.validate(token);
    validator.validate(token);
    validator.validate(issuer.jwt().claim("sub", "other").sign());
    assertThat(issuer.jwksHits()).isEqualTo(1);
    assertThat(issuer.hits("/.well-known/openid-configuration")).isEqualTo(1);
  }

  @Test
  void scopesWhenScpArrayThenRead() throws Exception {
    VerifiedToken token = validator.validate(issuer.jwt().claim("scope", null).claim("scp", List.of("a", "b")).sign());
    assertThat(token.scopes()).containsExactly("a", "b");
  }
}
