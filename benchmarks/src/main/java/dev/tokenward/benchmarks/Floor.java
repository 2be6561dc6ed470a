package dev.tokenward.benchmarks;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.JSONObjectUtils;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The physical floor: what any JWT validator must at least do.
 *
 * <ul>
 *   <li>{@code floor}: one {@link Signature#verify} over the signing input ({@code header.payload}) with a
 *       pre-resolved {@link PublicKey} and a per-thread {@code Signature} ({@code SHA256withRSA}, or
 *       {@code SHA256withECDSA} after converting the JOSE {@code R||S} signature to DER). No header parse, no
 *       claims.</li>
 *   <li>{@code floor-claims}: the same, plus base64url-decoding the payload, parsing it with nimbus'
 *       {@link JSONObjectUtils} and checking {@code iss} (exact), {@code aud} (contains) and {@code exp}.</li>
 * </ul>
 *
 * Rejections throw a pre-allocated, stackless exception: the cheapest way to say no. The cold-start variant has no
 * key at construction; its first validation fetches the JWKS over loopback ({@link HttpURLConnection}), parses it
 * ({@link JWKSet#parse}) and picks the key by kid.
 */
final class Floor implements Subject {

    static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        Rejected(String message) {
            super(message, null, false, false);
        }
    }

    private static final Rejected BAD_SIGNATURE = new Rejected("invalid signature");
    private static final Rejected BAD_FORMAT = new Rejected("malformed token");
    private static final Rejected BAD_ISSUER = new Rejected("iss mismatch");
    private static final Rejected BAD_AUDIENCE = new Rejected("aud mismatch");
    private static final Rejected EXPIRED = new Rejected("expired or no exp");

    private final Material.Alg alg;
    private final boolean claims;
    private final String issuer;
    private final String audience;
    private final String jwksUri;
    private final ThreadLocal<Signature> signature;
    private PublicKey key; // set at construction (warm) or by the first validation (cold)

    Floor(Material m, Material.Alg alg, boolean claims, boolean cold) {
        this.alg = alg;
        this.claims = claims;
        this.issuer = m.issuer;
        this.audience = Material.AUDIENCE;
        this.jwksUri = m.jwksUri;
        this.key = cold ? null : m.publicKey(alg);
        String jca = alg == Material.Alg.RS256 ? "SHA256withRSA" : "SHA256withECDSA";
        this.signature = ThreadLocal.withInitial(() -> {
            try {
                return Signature.getInstance(jca);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Override
    public boolean checksClaims() {
        return claims;
    }

    @Override
    public Object validate(String token) throws Exception {
        if (key == null) {
            key = fetchKey();
        }
        byte[] b = token.getBytes(StandardCharsets.ISO_8859_1); // a JWS compact serialization is ASCII
        int dot1 = token.indexOf('.');
        int dot2 = token.lastIndexOf('.');
        if (dot1 <= 0 || dot2 == dot1) {
            throw BAD_FORMAT;
        }
        byte[] sig = Base64.getUrlDecoder().decode(Arrays.copyOfRange(b, dot2 + 1, b.length));
        if (alg == Material.Alg.ES256) {
            sig = joseToDer(sig);
        }
        Signature s = signature.get();
        s.initVerify(key);
        s.update(b, 0, dot2);
        if (!s.verify(sig)) {
            throw BAD_SIGNATURE;
        }
        if (!claims) {
            return Boolean.TRUE;
        }
        byte[] payload = Base64.getUrlDecoder().decode(Arrays.copyOfRange(b, dot1 + 1, dot2));
        Map<String, Object> c = JSONObjectUtils.parse(new String(payload, StandardCharsets.UTF_8));
        if (!issuer.equals(c.get("iss"))) {
            throw BAD_ISSUER;
        }
        Object aud = c.get("aud");
        if (!(audience.equals(aud) || (aud instanceof List && ((List<?>) aud).contains(audience)))) {
            throw BAD_AUDIENCE;
        }
        Object exp = c.get("exp");
        if (!(exp instanceof Number) || ((Number) exp).longValue() * 1000 <= System.currentTimeMillis()) {
            throw EXPIRED;
        }
        return c;
    }

    private PublicKey fetchKey() throws Exception {
        HttpURLConnection http = (HttpURLConnection) new URL(jwksUri).openConnection();
        try (InputStream in = http.getInputStream()) {
            JWKSet set = JWKSet.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            var jwk = set.getKeyByKeyId(alg.kid);
            return alg == Material.Alg.RS256 ? jwk.toRSAKey().toRSAPublicKey() : jwk.toECKey().toECPublicKey();
        }
    }

    /** JOSE ECDSA signature (R||S, 32 bytes each for P-256) to the ASN.1 DER SEQUENCE the JCA expects. */
    static byte[] joseToDer(byte[] jose) throws Rejected {
        if (jose.length != 64) {
            throw BAD_SIGNATURE;
        }
        int rOff = 0;
        while (rOff < 31 && jose[rOff] == 0) rOff++;
        int sOff = 32;
        while (sOff < 63 && jose[sOff] == 0) sOff++;
        int rLen = 32 - rOff;
        int sLen = 64 - sOff;
        boolean rPad = jose[rOff] < 0; // high bit set: prepend 0x00 to stay positive
        boolean sPad = jose[sOff] < 0;
        int rTotal = rLen + (rPad ? 1 : 0);
        int sTotal = sLen + (sPad ? 1 : 0);
        int seqLen = 2 + rTotal + 2 + sTotal; // < 128 for P-256: short-form lengths
        byte[] der = new byte[2 + seqLen];
        int i = 0;
        der[i++] = 0x30;
        der[i++] = (byte) seqLen;
        der[i++] = 0x02;
        der[i++] = (byte) rTotal;
        if (rPad) der[i++] = 0;
        System.arraycopy(jose, rOff, der, i, rLen);
        i += rLen;
        der[i++] = 0x02;
        der[i++] = (byte) sTotal;
        if (sPad) der[i++] = 0;
        System.arraycopy(jose, sOff, der, i, sLen);
        return der;
    }
}
