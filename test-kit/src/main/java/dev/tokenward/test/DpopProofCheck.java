package dev.tokenward.test;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.JSONObjectUtils;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The token endpoint's check of a DPoP proof (RFC 9449 section 5, with the section 4.3 checks that
 * apply without an access token): one proof, {@code typ}, an asymmetric {@code alg}, a public
 * {@code jwk}, the signature, {@code htm} = POST, {@code htu} = the token endpoint, {@code iat}
 * recent and {@code jti} unused. What passes is bound by its key's thumbprint; a failure is 400
 * {@code invalid_dpop_proof}, as Auth0 answers. Thread-safe.
 */
final class DpopProofCheck {

    /** The proof algorithms accepted, as the discovery document lists them. */
    static final List<String> ALGORITHMS = List.of("ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256",
            "PS384", "PS512", "EdDSA", "Ed25519");
    /** How old a proof may be, and how long its {@code jti} is remembered. */
    static final long MAX_AGE_SECONDS = 300;
    /** How far in the future a proof's {@code iat} may be. */
    static final long SKEW_SECONDS = 60;
    private static final int MAX_PROOF_LENGTH = 8 * 1024;
    private static final int MAX_REMEMBERED = 100_000;
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03,
        0x21, 0x00};

    private final Clock clock;
    private final ConcurrentHashMap<String, Long> seenJti = new ConcurrentHashMap<>();

    DpopProofCheck(Clock clock) {
        this.clock = clock;
    }

    /**
     * Checks the {@code DPoP} header values of a token request sent to {@code tokenEndpoint}.
     *
     * @return the proof key's RFC 7638 thumbprint, or null when the request has no proof
     * @throws TestIssuerException 400 {@code invalid_dpop_proof} naming the failed check
     */
    String check(List<String> proofs, String method, String tokenEndpoint) {
        if (proofs == null || proofs.isEmpty()) {
            return null;
        }
        if (proofs.size() > 1) {
            throw invalid("more than one DPoP header");
        }
        String proof = proofs.get(0).trim();
        if (proof.isEmpty() || proof.length() > MAX_PROOF_LENGTH) {
            throw invalid("the DPoP header is empty or longer than " + MAX_PROOF_LENGTH + " characters");
        }
        String[] parts = proof.split("\\.", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw invalid("the proof is not a compact JWS");
        }
        Map<String, Object> header = json(parts[0], "header");
        Map<String, Object> claims = json(parts[1], "payload");

        if (!"dpop+jwt".equals(header.get("typ"))) {
            throw invalid("typ must be dpop+jwt");
        }
        Object alg = header.get("alg");
        if (!(alg instanceof String algorithm) || !ALGORITHMS.contains(algorithm)) {
            throw invalid("alg " + alg + " is not an accepted asymmetric algorithm " + ALGORITHMS);
        }
        if (!(header.get("jwk") instanceof Map<?, ?> jwkMap)) {
            throw invalid("the header has no jwk");
        }
        for (Object member : jwkMap.keySet()) {
            if (PRIVATE_MEMBERS.contains(member)) {
                throw invalid("the jwk carries private key material ('" + member + "')");
            }
        }
        JWK jwk;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> members = (Map<String, Object>) jwkMap;
            jwk = JWK.parse(members);
        } catch (ParseException | RuntimeException e) {
            throw invalid("the jwk is not a valid public JWK");
        }
        byte[] input = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        if (!verifies(algorithm, jwk, input, new Base64URL(parts[2]))) {
            throw invalid("the signature does not verify with the jwk");
        }
        if (!method.equals(claims.get("htm"))) {
            throw invalid("htm must be " + method);
        }
        if (!(claims.get("htu") instanceof String htu) || !normalize(htu).equals(normalize(tokenEndpoint))) {
            throw invalid("htu must be the token endpoint " + tokenEndpoint);
        }
        if (!(claims.get("iat") instanceof Number iatNumber)) {
            throw invalid("iat is missing");
        }
        long now = clock.instant().getEpochSecond();
        long iat = iatNumber.longValue();
        if (iat < now - MAX_AGE_SECONDS || iat > now + SKEW_SECONDS) {
            throw invalid("iat is not within " + MAX_AGE_SECONDS + " s of now");
        }
        if (!(claims.get("jti") instanceof String jti) || jti.isEmpty() || jti.length() > 256) {
            throw invalid("jti is missing");
        }
        String thumbprint;
        try {
            thumbprint = jwk.computeThumbprint("SHA-256").toString();
        } catch (JOSEException e) {
            throw invalid("the jwk has no thumbprint");
        }
        remember(thumbprint + " " + jti, now);
        return thumbprint;
    }

    private void remember(String key, long now) {
        if (seenJti.size() > MAX_REMEMBERED) {
            seenJti.values().removeIf(expiry -> expiry < now);
            if (seenJti.size() > MAX_REMEMBERED) {
                throw new TestIssuerException(503, "temporarily_unavailable", "Too many recent DPoP proofs");
            }
        }
        if (seenJti.putIfAbsent(key, now + MAX_AGE_SECONDS + SKEW_SECONDS) != null) {
            throw invalid("jti was used before");
        }
    }

    private static boolean verifies(String alg, JWK jwk, byte[] input, Base64URL signature) {
        try {
            if (jwk instanceof OctetKeyPair okp) {
                if (!Curve.Ed25519.equals(okp.getCurve()) || !(alg.equals("EdDSA") || alg.equals("Ed25519"))) {
                    return false;
                }
                byte[] x = okp.getX().decode();
                byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + x.length);
                System.arraycopy(x, 0, spki, ED25519_SPKI_PREFIX.length, x.length);
                PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
                Signature s = Signature.getInstance("Ed25519");
                s.initVerify(key);
                s.update(input);
                return s.verify(signature.decode());
            }
            JWSHeader header = new JWSHeader(JWSAlgorithm.parse(alg));
            if (jwk instanceof ECKey ec && alg.startsWith("ES")) {
                return new ECDSAVerifier(ec).verify(header, input, signature);
            }
            if (jwk instanceof RSAKey rsa && (alg.startsWith("RS") || alg.startsWith("PS"))) {
                return new RSASSAVerifier(rsa).verify(header, input, signature);
            }
            return false;
        } catch (JOSEException | GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** Scheme and host in lower case, default port dropped, query and fragment ignored. */
    static String normalize(String uri) {
        try {
            URI u = new URI(uri);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            int port = u.getPort();
            boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            return scheme + "://" + String.valueOf(u.getHost()).toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port)
                    + path;
        } catch (URISyntaxException e) {
            return "";
        }
    }

    private static Map<String, Object> json(String segment, String what) {
        try {
            return JSONObjectUtils.parse(new String(Base64URL.from(segment).decode(), StandardCharsets.UTF_8));
        } catch (ParseException | RuntimeException e) {
            throw invalid("the proof's " + what + " is not a JSON object");
        }
    }

    private static TestIssuerException invalid(String what) {
        return new TestIssuerException(400, "invalid_dpop_proof", "Invalid DPoP proof: " + what);
    }
}
