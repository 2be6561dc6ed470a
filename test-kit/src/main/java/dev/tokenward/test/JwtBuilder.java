package dev.tokenward.test;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Mints one JWT for a test, signed by its {@link TestIssuer} unless told otherwise. Starts from an
 * access token as Auth0 writes it ({@code typ: JWT}, RS256 with the current key; {@code iss},
 * {@code sub}, {@code aud}, {@code iat}, {@code exp}, {@code azp}); every claim and header can be
 * changed, so the same builder makes valid tokens and the broken ones negative tests need.
 *
 * <pre>{@code
 * String ok      = issuer.jwt().scopes("read:messages").sign();
 * String expired = issuer.jwt().expired().sign();
 * String forged  = issuer.jwt().wronglySigned().sign();
 * }</pre>
 *
 * Times are taken from the issuer's clock when {@link #sign()} runs. Not thread-safe; one builder per token.
 */
public final class JwtBuilder {

    /** The {@code sub} when none is set. */
    public static final String DEFAULT_SUBJECT = "auth0|test-user";
    /** The {@code azp} (the client the token was issued to) when none is set. */
    public static final String DEFAULT_CLIENT = "test-client";
    /** The {@code iss} that {@link #foreignIssuer()} writes. */
    public static final String FOREIGN_ISSUER = "https://foreign-issuer.example/";

    private static final Set<String> HMAC_ALGS = Set.of("HS256", "HS384", "HS512");

    /** Keys no issuer ever published, made once per JVM, for {@link #wronglySigned()}. */
    private static final class Foreign {
        static final RSAKey RSA = KeyRing.generateRsa();
        static final ECKey EC = KeyRing.generateEc();
        static final KeyRing.EdKey ED = KeyRing.generateEd();
    }

    private final TestIssuer issuer;
    private final KeyRing keys;
    private final Map<String, Object> headerOverrides = new LinkedHashMap<>();
    private final Map<String, Object> claimOverrides = new LinkedHashMap<>();
    private String iss;
    private String subject = DEFAULT_SUBJECT;
    private List<String> audiences;
    private String clientId = DEFAULT_CLIENT;
    private List<String> scopes;
    private List<String> permissions;
    private Instant issuedAt;
    private Instant notBefore;
    private Instant expiresAt;
    private Duration lifetime;
    private String algorithm = "RS256";
    private byte[] hmacSecret;
    private String kid;
    private String type = "JWT";
    private boolean wronglySigned;
    private String idTokenFor;

    JwtBuilder(TestIssuer issuer, KeyRing keys, String iss, String audience, Duration lifetime) {
        this.issuer = issuer;
        this.keys = keys;
        this.iss = iss;
        this.audiences = audience == null ? null : List.of(audience);
        this.lifetime = lifetime;
    }

    /** The {@code sub}; default {@value #DEFAULT_SUBJECT}. */
    public JwtBuilder subject(String subject) {
        this.subject = subject;
        return this;
    }

    /**
     * The {@code aud}: one value is written as a string, several as an array (as Auth0 does when
     * {@code openid} adds its /userinfo audience). Default: the issuer's first registered API.
     */
    public JwtBuilder audience(String... audiences) {
        this.audiences = List.copyOf(Arrays.asList(audiences));
        return this;
    }

    /** The {@code scope} claim, space-separated; default none. */
    public JwtBuilder scopes(String... scopes) {
        this.scopes = List.copyOf(Arrays.asList(scopes));
        return this;
    }

    /** Auth0 RBAC {@code permissions}, an array; default none (the claim is left out). */
    public JwtBuilder permissions(String... permissions) {
        this.permissions = List.copyOf(Arrays.asList(permissions));
        return this;
    }

    /** The {@code azp}, the client the token was issued to; default {@value #DEFAULT_CLIENT}. */
    public JwtBuilder clientId(String clientId) {
        this.clientId = clientId;
        return this;
    }

    /**
     * Binds the token to a DPoP key: {@code cnf: {"jkt": key.thumbprint()}} (RFC 9449 section 6.1),
     * as an issuer writes it for a token request that carried a proof made with {@code key}.
     */
    public JwtBuilder boundTo(DpopKey key) {
        return claim("cnf", Map.of("jkt", Objects.requireNonNull(key, "key").thumbprint()));
    }

    /**
     * Binds the token to a TLS client certificate: {@code cnf: {"x5t#S256": thumbprint}} (RFC 8705
     * section 3.1), the base64url SHA-256 of the certificate's DER encoding.
     */
    public JwtBuilder boundToCertificate(String x5tS256) {
        return claim("cnf", Map.of("x5t#S256", Objects.requireNonNull(x5tS256, "x5tS256")));
    }

    /** The {@code acr} claim (how the user authenticated, e.g. {@link TestIssuer#MFA_ACR}); default none. */
    public JwtBuilder acr(String acr) {
        return claim("acr", acr);
    }

    /** The {@code amr} claim, an array (e.g. {@code "pwd", "mfa"}); default none. */
    public JwtBuilder amr(String... methods) {
        return claim("amr", List.copyOf(Arrays.asList(methods)));
    }

    /** The {@code auth_time} claim, when the user authenticated; default none. */
    public JwtBuilder authTime(Instant authTime) {
        return claim("auth_time", authTime.getEpochSecond());
    }

    /**
     * Sets any claim, replacing what the builder would write; {@code null} leaves the claim out
     * (for example {@code claim("exp", null)} for a token without expiry).
     */
    public JwtBuilder claim(String name, Object value) {
        claimOverrides.put(Objects.requireNonNull(name, "name"), value);
        return this;
    }

    /** Sets any header parameter, replacing what signing would write; {@code null} leaves it out. */
    public JwtBuilder header(String name, Object value) {
        headerOverrides.put(Objects.requireNonNull(name, "name"), value);
        return this;
    }

    /** The {@code iss}; default the issuer's own URL. */
    public JwtBuilder issuer(String iss) {
        this.iss = iss;
        return this;
    }

    /** A token another issuer wrote: {@code iss} = {@value #FOREIGN_ISSUER}, still signed by this issuer's key. */
    public JwtBuilder foreignIssuer() {
        return issuer(FOREIGN_ISSUER);
    }

    /** The {@code iat}; default now. {@code exp} follows it by the lifetime unless {@link #expiresAt} is set. */
    public JwtBuilder issuedAt(Instant issuedAt) {
        this.issuedAt = issuedAt;
        return this;
    }

    /** Adds {@code nbf}, in the past or the future; default none. */
    public JwtBuilder notBefore(Instant notBefore) {
        this.notBefore = notBefore;
        return this;
    }

    /** The {@code exp}; default {@code iat} + the lifetime. */
    public JwtBuilder expiresAt(Instant expiresAt) {
        this.expiresAt = expiresAt;
        return this;
    }

    /** {@code exp - iat}; default the issuer's token lifetime (86400 s, Auth0's default). */
    public JwtBuilder lifetime(Duration lifetime) {
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        return this;
    }

    /** Expired an hour ago (issued two hours ago): well past any clock-skew allowance. */
    public JwtBuilder expired() {
        Instant now = issuer.now();
        this.issuedAt = now.minus(Duration.ofHours(2));
        this.expiresAt = now.minus(Duration.ofHours(1));
        return this;
    }

    /**
     * The JWS algorithm: RS256 (default) with the issuer's current RSA key; ES256 with its P-256 key;
     * EdDSA with its Ed25519 key (each published with its {@code alg}); HS256, HS384, HS512 with
     * {@link #hmacSecret(String)}. The validator under test must allow the algorithm
     * ({@code validatorBuilder().algorithms(...)}); its default is RS256 only.
     */
    public JwtBuilder algorithm(String algorithm) {
        String alg = Objects.requireNonNull(algorithm, "algorithm");
        if (!HMAC_ALGS.contains(alg) && !Set.of("RS256", "ES256", "EdDSA").contains(alg)) {
            throw new IllegalArgumentException("algorithm: unsupported '" + alg + "'; use RS256 ES256 EdDSA,"
                    + " or HS256 HS384 HS512 with hmacSecret(...); header(\"alg\", ...) writes any other name");
        }
        this.algorithm = alg;
        return this;
    }

    /**
     * Signs with HMAC and this shared secret (UTF-8), as an Auth0 API set to HS256 does; selects HS256
     * unless {@link #algorithm} chose HS384 or HS512. No {@code kid} is written.
     */
    public JwtBuilder hmacSecret(String secret) {
        byte[] bytes = Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new IllegalArgumentException("hmacSecret: at least 32 bytes for HS256");
        }
        this.hmacSecret = bytes;
        if (!HMAC_ALGS.contains(algorithm)) {
            this.algorithm = "HS256";
        }
        return this;
    }

    /** The {@code kid} header; default the signing key's own. Signing still uses the algorithm's key. */
    public JwtBuilder keyId(String kid) {
        this.kid = kid;
        return this;
    }

    /** The {@code typ} header; default {@code JWT} (Auth0's profile), {@code at+jwt} for RFC 9068. */
    public JwtBuilder type(String type) {
        this.type = type;
        return this;
    }

    /**
     * Signed with a key of the right type that this issuer never published, under the current key's
     * {@code kid}: the signature check must fail. With HMAC: a different secret.
     */
    public JwtBuilder wronglySigned() {
        this.wronglySigned = true;
        return this;
    }

    /**
     * Makes an OpenID Connect ID token instead, as a login returns it to an application:
     * {@code aud} = {@code clientId}, a random {@code nonce}, no {@code scope}, {@code permissions} or
     * {@code azp}. An API must refuse it as an access token.
     */
    public JwtBuilder idToken(String clientId) {
        this.idTokenFor = Objects.requireNonNull(clientId, "clientId");
        return this;
    }

    /** The compact serialization, signed over exactly the header and claims described. */
    public String sign() {
        Signer signer = signer();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", algorithm);
        putIfNotNull(header, "typ", type);
        putIfNotNull(header, "kid", kid != null ? kid : signer.kid);
        CompactJws.applyOverrides(header, headerOverrides);
        String signingInput = CompactJws.signingInput(header, claims());
        return signingInput + "." + signer.sign(signingInput.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The header and claims with {@code signature} as the third part instead of a signature, and
     * {@code alg: none} unless {@link #header} sets another: RFC 7519's unsecured JWT with {@code ""},
     * or any malformed token a negative test needs. No {@code kid} unless {@link #keyId} sets one.
     */
    public String unsigned(String signature) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", "none");
        putIfNotNull(header, "typ", type);
        putIfNotNull(header, "kid", kid);
        CompactJws.applyOverrides(header, headerOverrides);
        return CompactJws.signingInput(header, claims()) + "."
                + Objects.requireNonNull(signature, "signature");
    }

    private Map<String, Object> claims() {
        Instant now = issuer.now();
        Instant iat = issuedAt != null ? issuedAt : now;
        Instant exp = expiresAt != null ? expiresAt : iat.plus(lifetime);

        Map<String, Object> claims = new LinkedHashMap<>();
        putIfNotNull(claims, "iss", iss);
        putIfNotNull(claims, "sub", subject);
        if (idTokenFor != null) {
            claims.put("aud", idTokenFor);
        } else if (audiences != null && !audiences.isEmpty()) {
            claims.put("aud", audiences.size() == 1 ? audiences.get(0) : audiences);
        } else if (!claimOverrides.containsKey("aud")) {
            throw new IllegalStateException("no audience: the issuer has no registered API; call audience(...)");
        }
        claims.put("iat", iat.getEpochSecond());
        if (notBefore != null) {
            claims.put("nbf", notBefore.getEpochSecond());
        }
        claims.put("exp", exp.getEpochSecond());
        if (idTokenFor != null) {
            claims.put("nonce", UUID.randomUUID().toString());
        } else {
            putIfNotNull(claims, "azp", clientId);
            if (scopes != null && !scopes.isEmpty()) {
                claims.put("scope", String.join(" ", scopes));
            }
            if (permissions != null) {
                claims.put("permissions", permissions);
            }
        }
        CompactJws.applyOverrides(claims, claimOverrides);
        return claims;
    }

    // ---------------------------------------------------------------- signing

    /** A signing key and the kid it is published under (null for HMAC). */
    private record Signer(String kid, JWSSigner jws, PrivateKey ed25519, JWSAlgorithm alg) {
        String sign(byte[] input) {
            try {
                if (ed25519 != null) {
                    return CompactJws.signEd25519(ed25519, input);
                }
                return jws.sign(new JWSHeader(alg), input).toString();
            } catch (JOSEException | GeneralSecurityException e) {
                throw new IllegalStateException("cannot sign the test token with " + alg, e);
            }
        }
    }

    private Signer signer() {
        JWSAlgorithm alg = JWSAlgorithm.parse(algorithm);
        try {
            if (HMAC_ALGS.contains(algorithm)) {
                if (hmacSecret == null) {
                    throw new IllegalStateException(algorithm + " needs hmacSecret(...), the API's shared secret");
                }
                byte[] secret = hmacSecret;
                if (wronglySigned) {
                    secret = Arrays.copyOf(secret, secret.length);
                    secret[0] ^= 1;
                }
                return new Signer(null, new MACSigner(secret), null, alg);
            }
            if (algorithm.equals("ES256")) {
                ECKey published = keys.ec();
                return new Signer(published.getKeyID(), new ECDSASigner(wronglySigned ? Foreign.EC : published),
                        null, alg);
            }
            if (algorithm.equals("EdDSA")) {
                KeyRing.EdKey published = keys.ed();
                KeyRing.EdKey used = wronglySigned ? Foreign.ED : published;
                return new Signer(published.kid(), null, used.pair().getPrivate(), alg);
            }
            RSAKey published = keys.current();
            return new Signer(published.getKeyID(), new RSASSASigner(wronglySigned ? Foreign.RSA : published),
                    null, alg);
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the test token with " + algorithm, e);
        }
    }

    private static void putIfNotNull(Map<String, Object> map, String name, Object value) {
        if (value != null) {
            map.put(name, value);
        }
    }

}
