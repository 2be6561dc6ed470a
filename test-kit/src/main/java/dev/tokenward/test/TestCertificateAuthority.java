package dev.tokenward.test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A certificate authority made in memory for tests of certificate-bound access tokens (RFC 8705 mTLS):
 * it issues a server certificate for {@code 127.0.0.1}/{@code localhost} and client certificates, and
 * gives the {@link SSLContext}s to run a TLS server that asks for client certificates and a client that
 * presents one. Only the JDK is used (EC P-256 keys, SHA256withECDSA); nothing is written to disk.
 *
 * <pre>{@code
 * TestCertificateAuthority ca = TestCertificateAuthority.create();
 * TestCertificateAuthority.Issued server = ca.issueServer();
 * TestCertificateAuthority.Issued alice = ca.issueClient("alice");
 * SSLContext serverTls = ca.serverContext(server);   // your server: wantClientAuth, trusts this CA
 * SSLContext clientTls = ca.clientContext(alice);    // your HTTP client: presents alice's certificate
 * String token = issuer.jwt().claim("cnf", alice.confirmation()).sign(); // bound to alice's certificate
 * }</pre>
 *
 * Certificates are valid from an hour ago for a day; a test needing anything else should use real tooling.
 */
public final class TestCertificateAuthority {
    private static final char[] PASSWORD = "tokenward-test".toCharArray();
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;
    private final KeyPair keys;
    private final X509Certificate certificate;

    private TestCertificateAuthority(String name) throws GeneralSecurityException {
        this.name = name;
        this.keys = generate();
        this.certificate = sign(name, keys, name, keys.getPrivate(), true, null);
    }

    /** A new authority named {@code tokenward test CA}, with its own key. */
    public static TestCertificateAuthority create() {
        return create("tokenward test CA");
    }

    /** A new authority with this common name, with its own key. */
    public static TestCertificateAuthority create(String commonName) {
        Objects.requireNonNull(commonName, "commonName");
        try {
            return new TestCertificateAuthority(commonName);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make an EC P-256 certificate: " + e, e);
        }
    }

    /** The authority's own self-signed certificate: the trust anchor. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** A server certificate for {@code 127.0.0.1} and {@code localhost} (subject alternative names). */
    public Issued issueServer() {
        return issue("localhost", true);
    }

    /** A client certificate with this common name. */
    public Issued issueClient(String commonName) {
        return issue(Objects.requireNonNull(commonName, "commonName"), false);
    }

    private Issued issue(String commonName, boolean server) {
        try {
            KeyPair pair = generate();
            return new Issued(sign(commonName, pair, name, keys.getPrivate(), false, server ? "127.0.0.1" : null),
                    pair.getPrivate(), certificate);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot make an EC P-256 certificate: " + e, e);
        }
    }

    /**
     * TLS for a server presenting {@code server}'s certificate that trusts client certificates of this
     * authority (set want- or need-client-auth on the server itself).
     */
    public SSLContext serverContext(Issued server) {
        return context(Objects.requireNonNull(server, "server"));
    }

    /** TLS for a client that trusts this authority and presents {@code client}'s certificate (null: none). */
    public SSLContext clientContext(Issued client) {
        return context(client);
    }

    private SSLContext context(Issued identity) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", certificate);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (identity != null) {
                KeyStore own = KeyStore.getInstance("PKCS12");
                own.load(null, null);
                own.setKeyEntry("me", identity.privateKey, PASSWORD, new Certificate[] {identity.certificate, certificate});
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(own, PASSWORD);
            }
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), RANDOM);
            return tls;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build the TLS context: " + e, e);
        }
    }

    /** A certificate this authority issued, with its private key. */
    public static final class Issued {
        private final X509Certificate certificate;
        private final PrivateKey privateKey;
        private final X509Certificate issuer;

        private Issued(X509Certificate certificate, PrivateKey privateKey, X509Certificate issuer) {
            this.certificate = certificate;
            this.privateKey = privateKey;
            this.issuer = issuer;
        }

        /** The certificate. */
        public X509Certificate certificate() {
            return certificate;
        }

        /** Its private key. */
        public PrivateKey privateKey() {
            return privateKey;
        }

        /** The chain to present: this certificate, then the authority's. */
        public X509Certificate[] chain() {
            return new X509Certificate[] {certificate, issuer};
        }

        /** base64url(SHA-256(DER)): the {@code x5t#S256} a token bound to this certificate carries (RFC 8705 section 3.1). */
        public String thumbprint() {
            try {
                return Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.digest(certificate.getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The {@code cnf} claim of a token bound to this certificate: {@code {"x5t#S256": thumbprint()}}. */
        public Map<String, Object> confirmation() {
            return Map.of("x5t#S256", thumbprint());
        }

        @Override
        public String toString() {
            return "Issued{" + certificate.getSubjectX500Principal().getName() + "}";
        }
    }

    // ---- a minimal X.509 v3 encoder (DER), enough for TLS tests

    private static KeyPair generate() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static final byte[] ECDSA_WITH_SHA256 = oid(1, 2, 840, 10045, 4, 3, 2);

    private static X509Certificate sign(String subject, KeyPair subjectKeys, String issuer, PrivateKey issuerKey,
            boolean ca, String ipAddress) throws GeneralSecurityException {
        Instant now = Instant.now();
        byte[] serial = new byte[8];
        RANDOM.nextBytes(serial);
        serial[0] &= 0x7f;
        byte[] algorithm = seq(ECDSA_WITH_SHA256);
        ByteArrayOutputStream extensions = new ByteArrayOutputStream();
        // basicConstraints (critical): cA true for the authority, absent (false) otherwise
        write(extensions, seq(oid(2, 5, 29, 19), tlv(0x01, new byte[] {(byte) 0xff}),
                tlv(0x04, ca ? seq(tlv(0x01, new byte[] {(byte) 0xff})) : seq())));
        // keyUsage (critical): keyCertSign + cRLSign for the authority, digitalSignature otherwise
        write(extensions, seq(oid(2, 5, 29, 15), tlv(0x01, new byte[] {(byte) 0xff}),
                tlv(0x04, ca ? tlv(0x03, new byte[] {1, 0x06}) : tlv(0x03, new byte[] {7, (byte) 0x80}))));
        if (ipAddress != null) { // subjectAltName: iPAddress and dNSName localhost
            byte[] ip;
            try {
                ip = InetAddress.getByName(ipAddress).getAddress();
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException(e);
            }
            write(extensions, seq(oid(2, 5, 29, 17), tlv(0x04, seq(tlv(0x87, ip),
                    tlv(0x82, "localhost".getBytes(StandardCharsets.US_ASCII))))));
        }
        byte[] tbs = seq(
                tlv(0xa0, tlv(0x02, new byte[] {2})), // version v3
                tlv(0x02, new BigInteger(1, serial).toByteArray()),
                algorithm,
                name(issuer),
                seq(time(now.minusSeconds(3600)), time(now.plusSeconds(86_400))),
                name(subject),
                subjectKeys.getPublic().getEncoded(), // SubjectPublicKeyInfo, as the JDK encodes it
                tlv(0xa3, seq(extensions.toByteArray())));
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(issuerKey);
        s.update(tbs);
        byte[] signature = s.sign(); // already DER
        byte[] bitString = new byte[signature.length + 1];
        System.arraycopy(signature, 0, bitString, 1, signature.length);
        byte[] der = seq(tbs, algorithm, tlv(0x03, bitString));
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    private static byte[] name(String commonName) {
        return seq(tlv(0x31, seq(oid(2, 5, 4, 3), tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
    }

    private static byte[] time(Instant t) {
        return tlv(0x17, UTC_TIME.format(t).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] oid(int... arcs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(arcs[0] * 40 + arcs[1]);
        for (int i = 2; i < arcs.length; i++) {
            int v = arcs[i];
            int[] groups = new int[5];
            int n = 0;
            do {
                groups[n++] = v & 0x7f;
                v >>>= 7;
            } while (v != 0);
            for (int j = n - 1; j >= 0; j--) {
                out.write(groups[j] | (j > 0 ? 0x80 : 0));
            }
        }
        return tlv(0x06, out.toByteArray());
    }

    private static byte[] seq(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            write(out, p);
        }
        return tlv(0x30, out.toByteArray());
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 6);
        out.write(tag);
        int length = value.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >>> 8);
            out.write(length & 0xff);
        } else {
            throw new IllegalArgumentException("DER value too long for this encoder: " + length);
        }
        write(out, value);
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, byte[] bytes) {
        out.write(bytes, 0, bytes.length);
    }
}
