package dev.tokenward.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;

class TestCertificateAuthorityTest {
    private final TestCertificateAuthority ca = TestCertificateAuthority.create();

    @Test
    void issuedCertificatesValidateUnderTheAuthorityWithPkix() throws Exception {
        TestCertificateAuthority.Issued client = ca.issueClient("alice");
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(client.certificate())), params);
        assertThat(client.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=alice");
        assertThat(client.certificate().getBasicConstraints()).isEqualTo(-1);
        assertThat(ca.certificate().getBasicConstraints()).isGreaterThanOrEqualTo(0);
        assertThat(client.chain()).containsExactly(client.certificate(), ca.certificate());
    }

    @Test
    void thumbprintIsTheBase64UrlSha256OfTheDerAndTheConfirmationCarriesIt() throws Exception {
        TestCertificateAuthority.Issued client = ca.issueClient("alice");
        String expected = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(client.certificate().getEncoded()));
        assertThat(client.thumbprint()).isEqualTo(expected).hasSize(43);
        assertThat(client.confirmation()).containsExactly(java.util.Map.entry("x5t#S256", expected));
        assertThat(ca.issueClient("alice").thumbprint()).isNotEqualTo(expected); // a new key every time
    }

    @Test
    void serverCertificateNamesLoopbackAndAClientCertificateReachesTheServerOverTls() throws Exception {
        TestCertificateAuthority.Issued server = ca.issueServer();
        assertThat(server.certificate().getSubjectAlternativeNames())
                .contains(List.of(7, "127.0.0.1"), List.of(2, "localhost"));
        TestCertificateAuthority.Issued alice = ca.issueClient("alice");
        try (SSLServerSocket listening = (SSLServerSocket) ca.serverContext(server).getServerSocketFactory()
                .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            listening.setNeedClientAuth(true);
            CompletableFuture<X509Certificate> seen = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) listening.accept()) {
                    s.startHandshake();
                    X509Certificate peer = (X509Certificate) s.getSession().getPeerCertificates()[0];
                    try (InputStream in = s.getInputStream()) {
                        in.read();
                    }
                    return peer;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket c = (SSLSocket) ca.clientContext(alice).getSocketFactory()
                    .createSocket("127.0.0.1", listening.getLocalPort())) {
                c.startHandshake();
                OutputStream out = c.getOutputStream();
                out.write(1);
                out.flush();
                assertThat(seen.get(20, TimeUnit.SECONDS)).isEqualTo(alice.certificate());
            }
        }
    }
}
