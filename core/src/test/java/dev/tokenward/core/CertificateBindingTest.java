package dev.tokenward.core;

import static dev.tokenward.core.DpopProofs.CLIENT_EC;
import static dev.tokenward.core.DpopProofs.proof;
import static dev.tokenward.core.DpopTestSupport.URI;
import static dev.tokenward.core.ValidatorTestSupport.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 8705 section 3: a token with {@code cnf x5t#S256} is good only with that client certificate. */
class CertificateBindingTest {
  private static final X509Certificate CLIENT = certificate("mtls/client-cert.pem");
  private static final X509Certificate OTHER = certificate("mtls/other-cert.pem");

  private final FakeIssuer issuer = new FakeIssuer();
  private final ValidatorTestSupport.MutableClock clock = new ValidatorTestSupport.MutableClock();
  private final AccessTokenValidator validator = DpopTestSupport.validator(issuer, clock).build();
  private final AccessTokenValidator behindProxy = DpopTestSupport.validator(issuer, clock)
      .clientCertificateHeader("X-Client-Cert").build();
  private final String token = issuer.jwt().claim("cnf", Map.of("x5t#S256", thumbprint(CLIENT))).sign();

  @AfterEach
  void stop() throws IOException {
    issuer.close();
  }

  @Test
  void validateWhenTheClientCertificateMatchesThenAccepted() throws Exception {
    TokenRequest r = DpopTestSupport.request().authorization("Bearer " + token).clientCertificate(CLIENT).build();
    assertThat(validator.validate(r).subject()).isEqualTo("auth0|user-1");
  }

  @Test
  void validateWhenThereIsNoClientCertificateThenMismatch() {
    assertRefused(() -> validator.validate(DpopTestSupport.bearer(token)), Reason.CERTIFICATE_MISMATCH)
        .hasMessageContaining("without one");
  }

  @Test
  void validateWhenAnotherClientCertificateThenMismatch() {
    TokenRequest r = DpopTestSupport.request().authorization("Bearer " + token).clientCertificate(OTHER).build();
    TokenValidationException e = Forge.refusal(() -> validator.validate(r));
    assertThat(e.reason()).isEqualTo(Reason.CERTIFICATE_MISMATCH);
    assertThat(e.httpStatus()).isEqualTo(401);
    assertThat(e.errorCode()).isEqualTo("invalid_token");
  }

  @Test
  void validateWhenTokenIsNotCertificateBoundThenAnyOrNoCertificateWillDo() throws Exception {
    String plain = issuer.jwt().sign();
    assertThat(validator.validate(DpopTestSupport.bearer(plain)).subject()).isEqualTo("auth0|user-1");
    TokenRequest r = DpopTestSupport.request().authorization("Bearer " + plain).clientCertificate(OTHER).build();
    assertThat(validator.validate(r).subject()).isEqualTo("auth0|user-1");
  }

  @Test
  void validateWhenTheProxyHeaderCarriesTheCertificateInRfc9440FormThenAccepted() throws Exception {
    String value = ":" + Base64.getEncoder().encodeToString(CLIENT.getEncoded()) + ":";
    TokenRequest r = DpopTestSupport.request().authorization("Bearer " + token).clientCertificateHeader(List.of(value)).build();
    assertThat(behindProxy.validate(r).subject()).isEqualTo("auth0|user-1");
  }

  @Test
  void validateWhenTheProxyHeaderCarriesUrlEncodedPemThenAccepted() throws Exception {
    String value = URLEncoder.encode(pem(CLIENT), StandardCharsets.UTF_8).replace("+", "%20");
    TokenRequest r = DpopTestSupport.request().authorization("Bearer " + token).clientCertificateHeader(List.of(value)).build();
    assertThat(behindProxy.validate(r).subject()).isEqualTo("auth0|user-1");
  }

  @Test
  void validateWhenTheProxyHeaderCarriesAnotherCertificateThenMismatch() throws Exception {
    String value = ":" + Base64.getEncoder().encodeToString(OTHER.getEncoded()) + ":";
    TokenRequest r = DpopTestSupport.request().authorization("Bearer " + token).clientCertificateHeader(List.of(value)).build();
    assertRefused(() -> behindProxy.validate(r), Reason.CERTIFICATE_MISMATCH);
  }

  @Test
  void validateWhenTheProxyHeaderIsNotConfiguredThenItIsNeverRead() throws Exception {
    String value = ":" + Base64.getEncoder().encodeToString(CLIENT.getEncoded()) + ":";
    TokenRequest r = DpopTestSupport.request().authorization("Bearer " + token).clientCertificateHeader(List.of(value)).build();
    assertRefused(() -> validator.validate(r), Reason.CERTIFICATE_MISMATCH);
  }

  @Test
  void validateWhenTheProxyHeaderIsGarbageThenMismatch() {
    TokenRequest r = DpopTestSupport.request().authorization("Bearer " + token)
        .clientCertificateHeader(List.of(":bm90IGEgY2VydA==:")).build();
    assertRefused(() -> behindProxy.validate(r), Reason.CERTIFICATE_MISMATCH).hasMessageContaining("X-Client-Cert");
  }

  @Test
  void validateWhenTheProxyHeaderComesTwiceThenMismatch() throws Exception {
    String value = ":" + Base64.getEncoder().encodeToString(CLIENT.getEncoded()) + ":";
    TokenRequest r = DpopTestSupport.request().authorization("Bearer " + token)
        .clientCertificateHeader(List.of(value, value)).build();
    assertRefused(() -> behindProxy.validate(r), Reason.CERTIFICATE_MISMATCH);
  }

  @Test
  void validateWhenTheTlsCertificateIsPresentThenTheHeaderCannotOverrideIt() throws Exception {
    String value = ":" + Base64.getEncoder().encodeToString(CLIENT.getEncoded()) + ":";
    TokenRequest r = DpopTestSupport.request().authorization("Bearer " + token).clientCertificate(OTHER)
        .clientCertificateHeader(List.of(value)).build();
    assertRefused(() -> behindProxy.validate(r), Reason.CERTIFICATE_MISMATCH);
  }

  @Test
  void validateWhenATokenIsBothDpopAndCertificateBoundThenBothMustHold() throws Exception {
    String both = issuer.jwt().claim("cnf", Map.of("jkt", DpopProofs.thumbprint(CLIENT_EC), "x5t#S256", thumbprint(CLIENT)))
        .sign();
    TokenRequest withCert = DpopTestSupport.request().authorization("DPoP " + both)
        .dpopProof(proof("GET", URI, both).sign()).clientCertificate(CLIENT).build();
    assertThat(validator.validate(withCert).subject()).isEqualTo("auth0|user-1");
    TokenRequest without = DpopTestSupport.request().authorization("DPoP " + both).dpopProof(proof("GET", URI, both).sign()).build();
    assertRefused(() -> validator.validate(without), Reason.CERTIFICATE_MISMATCH);
  }

  @Test
  void buildWhenTheHeaderNameIsNotATokenThenFails() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> AccessTokenValidator.builder().clientCertificateHeader("X Cert:"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("clientCertificateHeader:");
  }

  static String thumbprint(X509Certificate cert) {
    try {
      return Base64.getUrlEncoder().withoutPadding().encodeToString(
          java.security.MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(X509Certificate cert) throws Exception {
    return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n";
  }

  static X509Certificate certificate(String resource) {
    try (InputStream in = CertificateBindingTest.class.getResourceAsStream(resource)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
