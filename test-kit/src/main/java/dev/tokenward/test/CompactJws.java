package dev.tokenward.test;

import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pieces the kit's hand-written JWS builders ({@link JwtBuilder}, {@link DpopProofBuilder}) share:
 * written by hand rather than by Nimbus, so that a test can also produce the malformed tokens and
 * proofs a resource server must refuse.
 */
final class CompactJws {

    private CompactJws() {
    }

    /** {@code base64url(header) + "." + base64url(payload)}, the JWS signing input. */
    static String signingInput(Map<String, Object> header, Map<String, Object> payload) {
        return b64(JSONObjectUtils.toJSONString(header)) + "." + b64(JSONObjectUtils.toJSONString(payload));
    }

    /** Applies a test's overrides: a null value removes the member, a list is copied. */
    static void applyOverrides(Map<String, Object> target, Map<String, Object> overrides) {
        overrides.forEach((name, value) -> {
            if (value == null) {
                target.remove(name);
            } else {
                target.put(name, value instanceof List<?> l ? new ArrayList<>(l) : value);
            }
        });
    }

    /** An Ed25519 signature over {@code input}, base64url (Nimbus signs Ed25519 only through Tink). */
    static String signEd25519(PrivateKey key, byte[] input) throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(input);
        return Base64URL.encode(s.sign()).toString();
    }

    private static String b64(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
