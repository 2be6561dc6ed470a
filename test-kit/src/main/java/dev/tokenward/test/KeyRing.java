package dev.tokenward.test;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The tenant's RSA signing keys: the current key first, then at most one previous key that is
 * still published (and accepted) for verification, like Auth0's "rotate" followed later by
 * "revoke". Reads are lock-free on an immutable snapshot; rotation is serialized.
 */
final class KeyRing {

    private volatile List<RSAKey> keys;

    KeyRing() {
        this.keys = List.of(generate());
    }

    RSAKey current() {
        return keys.get(0);
    }

    Optional<RSAKey> find(String kid) {
        if (kid == null) {
            return Optional.empty();
        }
        return keys.stream().filter(k -> kid.equals(k.getKeyID())).findFirst();
    }

    /** Makes a new key current; the old current key stays published, the one before it is dropped. */
    synchronized RSAKey rotate() {
        RSAKey fresh = generate();
        keys = List.of(fresh, keys.get(0));
        return fresh;
    }

    /** Public parts only, current key first. */
    JWKSet publicJwks() {
        List<JWK> pub = new ArrayList<>();
        for (RSAKey k : keys) {
            pub.add(k.toPublicJWK());
        }
        return new JWKSet(pub);
    }

    private static RSAKey generate() {
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
}
