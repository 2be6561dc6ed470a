package dev.tokenward.test;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The tenant's signing keys. RSA keys: the signing ("current") key first, then the other published
 * keys, like Auth0's "rotate" followed later by "revoke"; tests can also publish a key before it
 * signs and retire one later. After them one EC P-256 key (ES256) and one Ed25519 key (EdDSA), published
 * from the start so that a validator that fetched the JWKS once finds them when a test first signs with
 * them. Reads are lock-free on immutable snapshots; changes are serialized.
 */
final class KeyRing {

    /** An Ed25519 key: the JDK key pair signs (Nimbus would need Google Tink), the public JWK is published. */
    record EdKey(KeyPair pair, OctetKeyPair publicJwk) {
        String kid() {
            return publicJwk.getKeyID();
        }
    }

    private volatile List<RSAKey> rsa;
    private final ECKey ec = generateEc();
    private final EdKey ed = generateEd();

    KeyRing() {
        this.rsa = List.of(generateRsa());
    }

    RSAKey current() {
        return rsa.get(0);
    }

    Optional<RSAKey> find(String kid) {
        if (kid == null) {
            return Optional.empty();
        }
        return rsa.stream().filter(k -> kid.equals(k.getKeyID())).findFirst();
    }

    /** Makes a new key current; the old current key stays published, every other RSA key is dropped. */
    synchronized RSAKey rotate() {
        RSAKey fresh = generateRsa();
        rsa = List.of(fresh, rsa.get(0));
        return fresh;
    }

    /** Publishes a new RSA key after the others; it signs only once {@link #use(String)} makes it current. */
    synchronized RSAKey publishNew() {
        RSAKey fresh = generateRsa();
        List<RSAKey> next = new ArrayList<>(rsa);
        next.add(fresh);
        rsa = List.copyOf(next);
        return fresh;
    }

    /** Makes a published RSA key the signing key (listed first); the previous one stays published. */
    synchronized void use(String kid) {
        RSAKey key = find(kid).orElseThrow(() -> new IllegalArgumentException(
                "no published RSA key with kid " + kid + "; published: " + rsaKids()));
        List<RSAKey> next = new ArrayList<>(rsa);
        next.remove(key);
        next.add(0, key);
        rsa = List.copyOf(next);
    }

    /** Stops publishing an RSA key; tokens it signed no longer verify. The signing key cannot be retired. */
    synchronized void retire(String kid) {
        RSAKey key = find(kid).orElseThrow(() -> new IllegalArgumentException(
                "no published RSA key with kid " + kid + "; published: " + rsaKids()));
        if (key == rsa.get(0)) {
            throw new IllegalStateException("kid " + kid + " is the signing key; make another key current with"
                    + " useKey(kid) first");
        }
        List<RSAKey> next = new ArrayList<>(rsa);
        next.remove(key);
        rsa = List.copyOf(next);
    }

    /** The tenant's P-256 key, for ES256. */
    ECKey ec() {
        return ec;
    }

    /** The tenant's Ed25519 key, for EdDSA. */
    EdKey ed() {
        return ed;
    }

    /** Public parts only: the RSA keys (signing key first), then the P-256 and the Ed25519 key. */
    JWKSet publicJwks() {
        List<JWK> pub = new ArrayList<>();
        for (RSAKey k : rsa) {
            pub.add(k.toPublicJWK());
        }
        pub.add(ec.toPublicJWK());
        pub.add(ed.publicJwk());
        return new JWKSet(pub);
    }

    private List<String> rsaKids() {
        return rsa.stream().map(RSAKey::getKeyID).toList();
    }

    static RSAKey generateRsa() {
        try {
            return new RSAKeyGenerator(2048)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an RSA-2048 key", e);
        }
    }

    static ECKey generateEc() {
        try {
            return new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate a P-256 key", e);
        }
    }

    static EdKey generateEd() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            byte[] spki = pair.getPublic().getEncoded();
            // an Ed25519 SubjectPublicKeyInfo is a fixed 12-byte prefix followed by the 32-byte public key
            byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
            OctetKeyPair jwk = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x))
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.EdDSA)
                    .keyIDFromThumbprint()
                    .build();
            return new EdKey(pair, jwk);
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("cannot generate an Ed25519 key", e);
        }
    }
}
