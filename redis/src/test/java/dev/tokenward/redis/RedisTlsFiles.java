package dev.tokenward.redis;

import dev.tokenward.test.TestCertificateAuthority;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.List;

/**
 * The files a TLS redis-server and its clients need, written into one directory: {@code ca.pem} (a test
 * authority from the test kit's {@link TestCertificateAuthority}), {@code server.pem} and {@code server.key}
 * (a certificate it issued for 127.0.0.1), and {@code trust.p12} (a trust store holding only the authority,
 * password {@value #TRUST_STORE_PASSWORD}, for {@code javax.net.ssl.trustStore}).
 */
final class RedisTlsFiles {
  static final String TRUST_STORE_PASSWORD = "changeit";

  private final Path dir;

  private RedisTlsFiles(Path dir) {
    this.dir = dir;
  }

  /** Makes a new authority and server certificate and writes the four files into {@code dir}. */
  static RedisTlsFiles write(Path dir) throws IOException {
    TestCertificateAuthority ca = TestCertificateAuthority.create("tokenward test Redis CA");
    TestCertificateAuthority.Issued server = ca.issueServer();
    try {
      Files.writeString(dir.resolve("ca.pem"), pem("CERTIFICATE", ca.certificate().getEncoded()));
      Files.writeString(dir.resolve("server.pem"), pem("CERTIFICATE", server.certificate().getEncoded()));
      Files.writeString(dir.resolve("server.key"), pem("PRIVATE KEY", server.privateKey().getEncoded()));
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("ca", ca.certificate());
      try (OutputStream out = Files.newOutputStream(dir.resolve("trust.p12"))) {
        trust.store(out, TRUST_STORE_PASSWORD.toCharArray());
      }
    } catch (GeneralSecurityException e) {
      throw new IOException("writing the test certificates: " + e, e);
    }
    return new RedisTlsFiles(dir);
  }

  /** {@code ca.pem}. */
  Path caCertificate() {
    return dir.resolve("ca.pem");
  }

  /** {@code trust.p12}: the authority alone. */
  Path trustStore() {
    return dir.resolve("trust.p12");
  }

  /** redis-server's options for TLS on {@code tlsPort}, with the server certificate and no client certificates asked for. */
  List<String> serverOptions(int tlsPort) {
    return List.of("--tls-port", String.valueOf(tlsPort), "--tls-cert-file", dir.resolve("server.pem").toString(),
        "--tls-key-file", dir.resolve("server.key").toString(), "--tls-ca-cert-file", caCertificate().toString(),
        "--tls-auth-clients", "no");
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
