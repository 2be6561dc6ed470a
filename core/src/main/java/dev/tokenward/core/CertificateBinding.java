package dev.tokenward.core;

import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/**
 * Certificate-bound access tokens (RFC 8705 section 3): a token whose {@code cnf} has
 * {@code x5t#S256} is good only with the client certificate whose SHA-256 thumbprint that is. The
 * certificate comes from the TLS connection or, behind a TLS-terminating proxy, from a header the
 * user names (and only then: a header anyone can send is otherwise never read).
 *
 * <p>Header forms read: RFC 9440 {@code Client-Cert} ({@code :base64-DER:}), URL-encoded PEM (nginx
 * {@code $ssl_client_escaped_cert}, AWS ALB), plain PEM, and bare base64 DER.
 */
final class CertificateBinding {
  static final int MAX_HEADER_LENGTH = 16 * 1024;

  private CertificateBinding() {}

  /** base64url(SHA-256(DER)), the {@code x5t#S256} form. */
  static String thumbprint(X509Certificate certificate) throws GeneralSecurityException {
    byte[] h = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(h);
  }

  /**
   * Refuses the request unless its client certificate has the thumbprint {@code x5t}.
   *
   * @param headerName the proxy header to read the certificate from, or null to trust only the TLS connection
   */
  static void check(String x5t, TokenRequest request, String headerName) throws TokenValidationException {
    X509Certificate cert = request.clientCertificate().orElse(null);
    String source = "the TLS connection";
    if (cert == null && headerName != null && !request.clientCertificateHeader().isEmpty()) {
      source = "the " + headerName + " header";
      List<String> values = request.clientCertificateHeader();
      if (values.size() > 1) {
        throw mismatch("the request has " + values.size() + " " + headerName + " headers; exactly one is read");
      }
      cert = fromHeader(values.get(0), headerName);
    }
    if (cert == null) {
      throw mismatch("the token is bound to a client certificate (cnf x5t#S256) and the request came without one"
          + (headerName == null ? "" : " (neither on the TLS connection nor in the " + headerName + " header)"));
    }
    String actual;
    try {
      actual = thumbprint(cert);
    } catch (GeneralSecurityException e) {
      throw mismatch("the client certificate from " + source + " cannot be encoded to compute its thumbprint");
    }
    if (!MessageDigest.isEqual(actual.getBytes(StandardCharsets.US_ASCII), x5t.getBytes(StandardCharsets.US_ASCII))) {
      throw mismatch("the token is bound to another client certificate: cnf x5t#S256 differs from the SHA-256 "
          + "thumbprint of the certificate from " + source);
    }
  }

  static X509Certificate fromHeader(String value, String headerName) throws TokenValidationException {
    if (value.length() > MAX_HEADER_LENGTH) {
      throw mismatch("the " + headerName + " header is longer than " + MAX_HEADER_LENGTH + " characters");
    }
    String v = value.strip();
    byte[] der;
    try {
      if (v.length() > 1 && v.startsWith(":") && v.endsWith(":")) { // RFC 9440 / RFC 8941 byte sequence
        der = Base64.getDecoder().decode(v.substring(1, v.length() - 1));
      } else {
        boolean urlEncoded = v.contains("%");
        // URL-decoding turns a base64 '+' left unescaped into a space; a plain PEM's spaces are line folding
        String text = urlEncoded ? URLDecoder.decode(v.replace("+", "%2B"), StandardCharsets.UTF_8) : v;
        int begin = text.indexOf("-----BEGIN");
        if (begin >= 0) { // the label's space may have been written as '+' by a form encoder
          int start = text.indexOf("-----", begin + 10);
          int end = start < 0 ? -1 : text.indexOf("-----END", start + 5);
          if (end < 0) {
            throw new IllegalArgumentException("no END line");
          }
          text = text.substring(start + 5, end);
        }
        der = Base64.getMimeDecoder().decode(text.replaceAll("\\s", ""));
      }
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    } catch (IllegalArgumentException | GeneralSecurityException | ClassCastException e) {
      throw mismatch("the " + headerName + " header does not hold a readable X.509 certificate");
    }
  }

  /** The {@code x5t#S256} of a {@code cnf} claim, or null if there is none. */
  static String boundThumbprint(Object cnf) throws TokenValidationException {
    if (!(cnf instanceof java.util.Map<?, ?> map)) {
      return null;
    }
    Object x5t = map.get("x5t#S256");
    if (x5t == null) {
      return null;
    }
    if (!(x5t instanceof String s) || s.isEmpty()) {
      throw new TokenValidationException(Reason.MALFORMED, "token 'cnf' has an 'x5t#S256' that is not a non-empty string");
    }
    return s;
  }

  private static TokenValidationException mismatch(String description) {
    return new TokenValidationException(Reason.CERTIFICATE_MISMATCH, description);
  }
}
