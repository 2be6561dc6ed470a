package dev.tokenward.test;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * A client's DPoP key pair (RFC 9449): what a client that asks for DPoP-bound tokens holds. Its
 * {@link #thumbprint()} is the {@code cnf.jkt} a bound token names, and {@link #proof()} signs the
 * proofs that go with each request, so one test can mint the token and every proof for it.
 *
 * <pre>{@code
 * DpopKey key = DpopKey.es256();
 * String token = issuer.jwt().boundTo(key).sign();             // cnf.jkt = key.thumbprint()
 * String proof = key.proof().method("GET").url("http://127.0.0.1:8080/api/orders").accessToken(token).sign();
 * }</pre>
 *
 * Immutable and thread-safe. Ed25519 keys sign with the JDK (Nimbus would need Google Tink).
 */
public final class DpopKey {

    /** The 16-byte PKCS#8 prefix of an Ed25519 private key, before its 32-byte seed (RFC 8410). */
    private static final byte[] ED25519_PKCS8_PREFIX = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b,
        0x65, 0x70, 0x04, 0x22, 0x04, 0x20};

    private final JWK privateJwk;
    private final JWK publicJwk;
    private final String defaultAlgorithm;
    private final PrivateKey ed25519; // null unless an Ed25519 key

    private DpopKey(JWK privateJwk, String defaultAlgorithm, PrivateKey ed25519) {
        this.privateJwk = privateJwk;
        this.publicJwk = privateJwk.toPublicJWK();
        this.defaultAlgorithm = defaultAlgorithm;
        this.ed25519 = ed25519;
    }

    /** A new P-256 key; its proofs are ES256, what Auth0's and most clients' DPoP uses. */
    public static DpopKey es256() {
        try {
            return new DpopKey(new ECKeyGenerator(Curve.P_256).generate(), "ES256", null);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a P-256 key", e);
        }
    }

    /** A new RSA-2048 key; its proofs are RS256 ({@code proof().algorithm("PS256")} for PS256). */
    public static DpopKey rs256() {
        try {
            return new DpopKey(new RSAKeyGenerator(2048).generate(), "RS256", null);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA-2048 key", e);
        }
    }

    /**
     * A new Ed25519 key; its proofs say {@code alg: EdDSA} ({@code proof().algorithm("Ed25519")} for
     * the fully-specified name of RFC 9864, which panva's {@code dpop} 2.x writes).
     */
    public static DpopKey ed25519() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] spki = pair.getPublic().getEncoded();
            byte[] pkcs8 = pair.getPrivate().getEncoded();
            // SubjectPublicKeyInfo and PKCS#8 of Ed25519 end with the 32-byte public key and seed (RFC 8410)
            OctetKeyPair jwk = new OctetKeyPair.Builder(Curve.Ed25519,
                    Base64URL.encode(Arrays.copyOfRange(spki, spki.length - 32, spki.length)))
                    .d(Base64URL.encode(Arrays.copyOfRange(pkcs8, pkcs8.length - 32, pkcs8.length)))
                    .build();
            return new DpopKey(jwk, "EdDSA", pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an Ed25519 key", e);
        }
    }

    /**
     * A key from its private JWK (JSON, as {@link #toPrivateJson()} writes it): EC P-256/384/521,
     * RSA or OKP Ed25519.
     *
     * @throws IllegalArgumentException if the JSON is not such a private key
     */
    public static DpopKey fromPrivateJson(String json) {
        JWK jwk;
        try {
            jwk = JWK.parse(Objects.requireNonNull(json, "json"));
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWK: " + e.getMessage(), e);
        }
        if (!jwk.isPrivate()) {
            throw new IllegalArgumentException("the JWK has no private part; a DPoP key must sign");
        }
        if (jwk instanceof ECKey ec) {
            Curve curve = ec.getCurve();
            String alg = Curve.P_256.equals(curve) ? "ES256" : Curve.P_384.equals(curve) ? "ES384"
                    : Curve.P_521.equals(curve) ? "ES512" : null;
            if (alg == null) {
                throw new IllegalArgumentException("unsupported EC curve " + curve);
            }
            return new DpopKey(jwk, alg, null);
        }
        if (jwk instanceof RSAKey) {
            return new DpopKey(jwk, "RS256", null);
        }
        if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
            byte[] seed = okp.getD().decode();
            byte[] pkcs8 = Arrays.copyOf(ED25519_PKCS8_PREFIX, ED25519_PKCS8_PREFIX.length + seed.length);
            System.arraycopy(seed, 0, pkcs8, ED25519_PKCS8_PREFIX.length, seed.length);
            try {
                PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                return new DpopKey(jwk, "EdDSA", key);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("unusable Ed25519 key", e);
            }
        }
        throw new IllegalArgumentException("unsupported key type " + jwk.getKeyType() + "; use EC, RSA or OKP Ed25519");
    }

    /** The RFC 7638 SHA-256 thumbprint of the public key, base64url: a bound token's {@code cnf.jkt}. */
    public String thumbprint() {
        try {
            return publicJwk.computeThumbprint("SHA-256").toString();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot compute the key's thumbprint", e);
        }
    }

    /** The public key as a JSON object, as a proof's {@code jwk} header carries it. */
    public Map<String, Object> publicJwk() {
        return publicJwk.toJSONObject();
    }

    /** The private key as a JWK JSON string, to keep in a file readable by its owner only. */
    public String toPrivateJson() {
        return privateJwk.toJSONString();
    }

    /** The algorithm proofs use unless told otherwise: ES256, RS256 or EdDSA by key type. */
    public String algorithm() {
        return defaultAlgorithm;
    }

    /** Starts a proof signed by this key. */
    public DpopProofBuilder proof() {
        return new DpopProofBuilder(this);
    }

    /** A new key of the same type, for "another key than cnf.jkt names" tests. */
    DpopKey sibling() {
        return switch (defaultAlgorithm) {
            case "RS256" -> rs256();
            case "EdDSA" -> ed25519();
            default -> es256();
        };
    }

    /** The private JWK, for the proof builder's "private key in the header" variant. */
    Map<String, Object> privateJwkJson() {
        return privateJwk.toJSONObject();
    }

    /** Signs {@code input} with {@code alg} (JOSE signature format: raw R||S for ECDSA), base64url. */
    String sign(String alg, byte[] input) {
        try {
            if (ed25519 != null) {
                if (!alg.equals("EdDSA") && !alg.equals("Ed25519")) {
                    throw new IllegalArgumentException("an Ed25519 key signs EdDSA or Ed25519, not " + alg);
                }
                return CompactJws.signEd25519(ed25519, input);
            }
            JWSAlgorithm jws = JWSAlgorithm.parse(alg);
            if (privateJwk instanceof ECKey ec) {
                return new ECDSASigner(ec).sign(new JWSHeader(jws), input).toString();
            }
            return new RSASSASigner((RSAKey) privateJwk).sign(new JWSHeader(jws), input).toString();
        } catch (JOSEException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a DPoP proof with " + alg + ": " + e.getMessage(), e);
        }
    }

    /** Shows the key type and thumbprint, never the private key. */
    @Override
    public String toString() {
        return "DpopKey[" + publicJwk.getKeyType() + ", jkt=" + thumbprint() + "]";
    }
}
