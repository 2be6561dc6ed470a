package dev.tokenward.test;

import com.nimbusds.jose.util.Base64URL;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Mints one DPoP proof (RFC 9449 section 4.2) for a test, signed by a {@link DpopKey}. It starts
 * from a proof as a correct client writes it ({@code typ: dpop+jwt}, the key's algorithm, its public
 * {@code jwk}, a fresh {@code jti}, {@code iat} now) and every part can be changed or broken, so the
 * same builder makes the proofs an API must accept and those it must refuse.
 *
 * <pre>{@code
 * String ok       = key.proof().method("GET").url(api + "/orders").accessToken(token).sign();
 * String withNonce = key.proof().url(url).accessToken(token).nonce(nonceFromDpopNonceHeader).sign();
 * String old      = key.proof().url(url).accessToken(token).age(Duration.ofMinutes(10)).sign();
 * String leaked   = key.proof().url(url).accessToken(token).privateKeyInHeader().sign();
 * }</pre>
 *
 * Not thread-safe; one builder per proof.
 */
public final class DpopProofBuilder {

    private final DpopKey key;
    private final Map<String, Object> headerOverrides = new LinkedHashMap<>();
    private final Map<String, Object> claimOverrides = new LinkedHashMap<>();
    private String method = "GET";
    private String url;
    private String accessToken;
    private String nonce;
    private String jti;
    private Instant issuedAt;
    private Duration age = Duration.ZERO;
    private Clock clock = Clock.systemUTC();
    private String algorithm;
    private boolean privateKeyInHeader;
    private boolean wronglySigned;

    DpopProofBuilder(DpopKey key) {
        this.key = key;
        this.algorithm = key.algorithm();
    }

    /** The {@code htm}: the request's method; default {@code GET}. */
    public DpopProofBuilder method(String method) {
        this.method = Objects.requireNonNull(method, "method");
        return this;
    }

    /**
     * The {@code htu}: the request's absolute URL, written without its query and fragment as RFC 9449
     * section 4.2 says. Required unless {@code claim("htu", ...)} sets it.
     */
    public DpopProofBuilder url(String url) {
        URI u = URI.create(Objects.requireNonNull(url, "url"));
        if (!u.isAbsolute()) {
            throw new IllegalArgumentException("url: an absolute http(s) URL is required, got '" + url + "'");
        }
        String s = u.toString();
        int cut = s.length();
        for (char c : new char[] {'?', '#'}) {
            int i = s.indexOf(c);
            if (i >= 0) {
                cut = Math.min(cut, i);
            }
        }
        this.url = s.substring(0, cut);
        return this;
    }

    /** As {@link #url(String)}. */
    public DpopProofBuilder url(URI url) {
        return url(Objects.requireNonNull(url, "url").toString());
    }

    /**
     * The access token the proof goes with: writes {@code ath}, base64url of its SHA-256. A proof
     * sent to a token endpoint has none; a proof sent with a token to an API must.
     */
    public DpopProofBuilder accessToken(String accessToken) {
        this.accessToken = Objects.requireNonNull(accessToken, "accessToken");
        return this;
    }

    /** The server nonce (RFC 9449 section 8), from a {@code DPoP-Nonce} header; default none. */
    public DpopProofBuilder nonce(String nonce) {
        this.nonce = nonce;
        return this;
    }

    /** The {@code jti}; default a random UUID, new for each proof. Send one twice to test replay. */
    public DpopProofBuilder jti(String jti) {
        this.jti = jti;
        return this;
    }

    /** The {@code iat}; default the clock's now minus {@link #age}. */
    public DpopProofBuilder issuedAt(Instant issuedAt) {
        this.issuedAt = issuedAt;
        return this;
    }

    /** Makes the proof this much older than now (a negative age: in the future); default zero. */
    public DpopProofBuilder age(Duration age) {
        this.age = Objects.requireNonNull(age, "age");
        return this;
    }

    /** The clock {@code iat} is read from (a test issuer's or a validator's test clock); default the system clock. */
    public DpopProofBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /**
     * The JWS algorithm: by default the key's ({@link DpopKey#algorithm()}). An RSA key also signs
     * RS384/RS512/PS256/PS384/PS512; an Ed25519 key writes {@code EdDSA} or {@code Ed25519}.
     */
    public DpopProofBuilder algorithm(String algorithm) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        return this;
    }

    /** The {@code typ} header; default {@code dpop+jwt}. */
    public DpopProofBuilder type(String type) {
        return header("typ", type);
    }

    /** Sets any header parameter, replacing what the builder writes; {@code null} leaves it out. */
    public DpopProofBuilder header(String name, Object value) {
        headerOverrides.put(Objects.requireNonNull(name, "name"), value);
        return this;
    }

    /**
     * Sets any claim, replacing what the builder writes; {@code null} leaves it out (for example
     * {@code claim("ath", null)} for a proof without the token hash).
     */
    public DpopProofBuilder claim(String name, Object value) {
        claimOverrides.put(Objects.requireNonNull(name, "name"), value);
        return this;
    }

    /** A broken proof: the {@code jwk} header carries the private key too (its {@code d}). */
    public DpopProofBuilder privateKeyInHeader() {
        this.privateKeyInHeader = true;
        return this;
    }

    /** A broken proof: signed by another key than the one in its {@code jwk} header. */
    public DpopProofBuilder wronglySigned() {
        this.wronglySigned = true;
        return this;
    }

    /** The compact JWS, signed over exactly the header and claims described. */
    public String sign() {
        String input = signingInput(algorithm);
        DpopKey signer = wronglySigned ? key.sibling() : key;
        return input + "." + signer.sign(algorithm, input.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * A broken proof: header and claims with {@code alg: none} (unless {@link #header} sets another)
     * and {@code signature} as the third part ({@code ""} for an unsecured JWS).
     */
    public String unsigned(String signature) {
        return signingInput("none") + "." + Objects.requireNonNull(signature, "signature");
    }

    private String signingInput(String alg) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("typ", "dpop+jwt");
        header.put("alg", alg);
        header.put("jwk", privateKeyInHeader ? key.privateJwkJson() : key.publicJwk());
        CompactJws.applyOverrides(header, headerOverrides);

        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("jti", jti != null ? jti : UUID.randomUUID().toString());
        claims.put("htm", method);
        if (url != null) {
            claims.put("htu", url);
        } else if (!claimOverrides.containsKey("htu")) {
            throw new IllegalStateException("no htu: call url(...) with the request's URL");
        }
        Instant iat = issuedAt != null ? issuedAt : clock.instant().minus(age);
        claims.put("iat", iat.getEpochSecond());
        if (accessToken != null) {
            claims.put("ath", accessTokenHash(accessToken));
        }
        if (nonce != null) {
            claims.put("nonce", nonce);
        }
        CompactJws.applyOverrides(claims, claimOverrides);
        return CompactJws.signingInput(header, claims);
    }

    /** {@code ath} for a token: base64url, without padding, of SHA-256 over its ASCII characters. */
    public static String accessTokenHash(String accessToken) {
        return Base64URL.encode(Sha256.digest(accessToken.getBytes(StandardCharsets.US_ASCII))).toString();
    }

}
