package dev.tokenward.core;

import static dev.tokenward.core.DpopProofs.CLIENT_EC;
import static dev.tokenward.core.DpopProofs.proof;
import static dev.tokenward.core.DpopTestSupport.URI;
import static dev.tokenward.core.DpopTestSupport.boundTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.reflect.Method;
import java.security.cert.X509Certificate;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An endpoint's sender constraint ({@link TokenRequest.Builder#senderConstraint}) tightens the issuer's
 * DPoP policy: {@code DPOP} refuses a bearer token, {@code DPOP_OR_MTLS} refuses a plain bearer token and
 * takes a certificate-bound one with its certificate; both answer 401 {@code invalid_token} with a DPoP challenge.
 */
class SenderConstraintTest {
  private static final String ALGS = "algs=\"ES256 EdDSA Ed25519 RS256 PS256\"";
  private static final X509Certificate CLIENT = CertificateBindingTest.certificate("mtls/client-cert.pem");
  private static final X509Certificate OTHER = CertificateBindingTest.certificate("mtls/other-cert.pem");

  private final FakeIssuer issuer = new FakeIssuer();
  private final ValidatorTestSupport.MutableClock clock = new ValidatorTestSupport.MutableClock();
  private final AccessTokenValidator allowed = DpopTestSupport.validator(issuer, clock).build(); // DPoP ALLOWED
  private final String bound = boundTo(issuer, CLIENT_EC);
  private final String unbound = issuer.jwt().sign();
  private final String certificateBound = issuer.jwt()
      .claim("cnf", Map.of("x5t#S256", CertificateBindingTest.thumbprint(CLIENT))).sign();

  @AfterEach
  void stop() throws IOException {
    issuer.close();
  }

  private static TokenRequest.Builder bearer(String token, SenderConstraint c) {
    return DpopTestSupport.request().authorization("Bearer " + token).senderConstraint(c);
  }

  private static TokenRequest dpop(String token, SenderConstraint c) {
    return DpopTestSupport.request().authorization("DPoP " + token).dpopProof(proof("GET", URI, token).sign())
        .senderConstraint(c).build();
  }

  @Test
  void dpopWhenABearerTokenComesWhereThePolicyIsAllowedThen401DpopChallengeInvalidToken() {
    TokenValidationException e = Forge.refusal(() -> allowed.validate(bearer(unbound, SenderConstraint.DPOP).build()));
    assertThat(e.reason()).isEqualTo(Reason.DPOP_REQUIRED);
    BearerErrorResponse a = BearerErrorResponse.of(e, "tokenward");
    assertThat(a.status()).isEqualTo(401);
    assertThat(a.challenges()).singleElement().asString()
        .startsWith("DPoP realm=\"tokenward\", " + ALGS + ", error=\"invalid_token\"");
  }

  @Test
  void dpopWhenACertificateBoundTokenComesWithItsCertificateThenStillRefused() {
    TokenRequest r = bearer(certificateBound, SenderConstraint.DPOP).clientCertificate(CLIENT).build();
    assertThat(Forge.refusal(() -> allowed.validate(r)).reason()).isEqualTo(Reason.DPOP_REQUIRED);
  }

  @ParameterizedTest
  @EnumSource(SenderConstraint.class)
  void whenAValidDpopRequestThenAccepted(SenderConstraint c) throws Exception {
    assertThat(allowed.validate(dpop(bound, c)).subject()).isEqualTo("auth0|user-1");
  }

  @Test
  void dpopOrMtlsWhenAPlainBearerTokenThen401DpopChallengeInvalidToken() {
    TokenValidationException e = Forge.refusal(() -> allowed.validate(bearer(unbound, SenderConstraint.DPOP_OR_MTLS).build()));
    assertThat(e.reason()).isEqualTo(Reason.SENDER_CONSTRAINT_REQUIRED);
    assertThat(e.description()).contains("sender-constrained").contains("x5t#S256");
    BearerErrorResponse a = BearerErrorResponse.of(e, "tokenward");
    assertThat(a.status()).isEqualTo(401);
    assertThat(a.challenges()).singleElement().asString()
        .startsWith("DPoP realm=\"tokenward\", " + ALGS + ", error=\"invalid_token\"");
  }

  @Test
  void dpopOrMtlsWhenACertificateBoundTokenComesWithItsCertificateThenAccepted() throws Exception {
    TokenRequest r = bearer(certificateBound, SenderConstraint.DPOP_OR_MTLS).clientCertificate(CLIENT).build();
    assertThat(allowed.validate(r).subject()).isEqualTo("auth0|user-1");
  }

  @Test
  void dpopOrMtlsWhenACertificateBoundTokenComesWithAnotherCertificateThenCertificateMismatch() {
    TokenRequest r = bearer(certificateBound, SenderConstraint.DPOP_OR_MTLS).clientCertificate(OTHER).build();
    assertThat(Forge.refusal(() -> allowed.validate(r)).reason()).isEqualTo(Reason.CERTIFICATE_MISMATCH);
  }

  @Test
  void dpopOrMtlsWhenDpopIsOffThenCertificateBoundTokensStillPassAndAPlainOneGetsABearerChallenge() throws Exception {
    AccessTokenValidator off = DpopTestSupport.validator(issuer, clock).dpop(DpopPolicy.OFF).build();
    TokenRequest withCert = bearer(certificateBound, SenderConstraint.DPOP_OR_MTLS).clientCertificate(CLIENT).build();
    assertThat(off.validate(withCert).subject()).isEqualTo("auth0|user-1");
    TokenValidationException e = Forge.refusal(() -> off.validate(bearer(unbound, SenderConstraint.DPOP_OR_MTLS).build()));
    assertThat(e.reason()).isEqualTo(Reason.SENDER_CONSTRAINT_REQUIRED);
    assertThat(BearerErrorResponse.of(e, "tokenward").challenges()).singleElement().asString()
        .startsWith("Bearer realm=\"tokenward\", error=\"invalid_token\"");
  }

  @Test
  void withoutAConstraintAPlainBearerTokenIsAcceptedAsBefore() throws Exception {
    assertThat(allowed.validate(DpopTestSupport.bearer(unbound)).subject()).isEqualTo("auth0|user-1");
  }

  @Test
  void dpopWhenNoCredentialsThenOnlyTheDpopChallenge() {
    TokenRequest r = DpopTestSupport.request().senderConstraint(SenderConstraint.DPOP).build();
    BearerErrorResponse a = BearerErrorResponse.of(Forge.refusal(() -> allowed.validate(r)), "tokenward");
    assertThat(a.status()).isEqualTo(401);
    assertThat(a.challenges()).containsExactly("DPoP realm=\"tokenward\", " + ALGS);
  }

  @Test
  void buildWhenDpopIsDemandedAndTheEndpointPolicyIsOffThenRefused() {
    assertThatThrownBy(() -> DpopTestSupport.request().dpopPolicy(DpopPolicy.OFF).senderConstraint(SenderConstraint.DPOP)
        .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("contradicts");
  }

  @Test
  void checkEnforceableByWhenAnIssuerHasDpopOffThenFailsNamingTheRuleAndTheIssuer() {
    AccessTokenValidator off = DpopTestSupport.validator(issuer, clock).dpop(DpopPolicy.OFF).build();
    assertThatThrownBy(() -> SenderConstraint.DPOP.checkEnforceableBy(off, "path rule /pay/*"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("path rule /pay/* requires DPoP").hasMessageContaining(issuer.issuer());
    SenderConstraint.DPOP_OR_MTLS.checkEnforceableBy(off, "path rule /pay/*"); // mTLS needs no DPoP
    SenderConstraint.DPOP.checkEnforceableBy(allowed, "path rule /pay/*");
  }

  @RequiresDpop
  @RequiresScopes("pay")
  static final class Payments {}

  @RequiresSenderConstrained
  static final class Reports {
    @RequiresDpop
    @RequiresSenderConstrained
    public void both() {}
  }

  @Test
  void annotationsWhenReadThenTheConstraintAndTheRequirementTogether() throws Exception {
    AnnotatedRequirements payments = AnnotatedRequirements.from(Payments.class);
    assertThat(payments.needsToken()).isTrue();
    assertThat(payments.senderConstraint()).contains(SenderConstraint.DPOP);
    assertThat(payments.requirement().orElseThrow().values()).containsExactly("pay");
    assertThat(payments.annotations()).containsExactly("@RequiresScopes", "@RequiresDpop");
    AnnotatedRequirements reports = AnnotatedRequirements.from(Reports.class);
    assertThat(reports.needsToken()).isTrue();
    assertThat(reports.senderConstraint()).contains(SenderConstraint.DPOP_OR_MTLS);
    assertThat(reports.requirement()).isEmpty();
    Method both = Reports.class.getMethod("both");
    assertThatThrownBy(() -> AnnotatedRequirements.from(both)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Reports.both").hasMessageContaining("keep one");
  }
}
