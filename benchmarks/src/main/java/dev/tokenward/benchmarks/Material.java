package dev.tokenward.benchmarks;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Everything the benchmarks validate against: key pairs, the JWKS served over loopback, and pre-minted tokens.
 *
 * <p>Material is made once per suite run. {@link Main} generates it in the parent JVM, starts the
 * {@link JwksServer} there (the "issuer" is a separate process from the forks under test, as a real IdP would be)
 * and hands the forks a file via the system property {@value #FILE_PROPERTY}. A fork started without that
 * property (e.g. the JMH runner used directly, or an IDE) generates its own material and serves its own JWKS.
 *
 * <p>Key pairs come from a seeded {@code SHA1PRNG}, so the keys and {@code kid}s are the same on every run; the
 * tokens carry the current {@code iat}/{@code exp} and the server's port, so they are minted per run.
 */
public final class Material {

    /** System property naming a material file written by {@link #writeTo(Path)}. */
    public static final String FILE_PROPERTY = "tokenward.bench.material";

    /** Valid tokens per algorithm (a power of two: the cursors mask with {@code n - 1}). */
    public static final int VALID_TOKENS = 4096;
    /** Invalid-signature tokens per algorithm (power of two). */
    public static final int INVALID_TOKENS = 256;
    /**
     * RS256 tokens for the first-seen scenario: the {@value #VALID_TOKENS} valid ones and more of the same shape.
     * Each fresh validator first sees {@value #FIRST_SEEN_FILL} of them (untimed), so its default 10,000-entry
     * token cache is full, then the rest (timed), each new to it.
     */
    public static final int FIRST_SEEN_TOKENS = 24_576;
    /** Tokens validated before timing starts: more than the default token cache holds. */
    public static final int FIRST_SEEN_FILL = 10_240;

    public static final String AUDIENCE = "https://api.tokenward.dev";
    public static final String SCOPE = "read:messages write:messages";
    public static final List<String> PERMISSIONS = List.of("read:messages", "write:messages");
    public static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    /** The two signing algorithms under test. */
    public enum Alg {
        RS256("rsa-2048-k1", JWSAlgorithm.RS256), ES256("ec-p256-k1", JWSAlgorithm.ES256);

        public final String kid;
        public final JWSAlgorithm jws;

        Alg(String kid, JWSAlgorithm jws) {
            this.kid = kid;
            this.jws = jws;
        }
    }

    /** Tokens of one algorithm. */
    public static final class Tokens {
        public final String[] valid;
        /** Same kid and shape as {@link #valid}, signed by a different key pair. */
        public final String[] invalidSignature;
        /** Correctly signed, but with one claim wrong: used by the subjects' self-check before measuring. */
        public final String wrongIssuer;
        public final String wrongAudience;
        public final String expired;
        /** {@value #FIRST_SEEN_TOKENS} distinct valid tokens, {@link #valid} first (RS256 only; empty for ES256). */
        public final String[] firstSeen;

        Tokens(String[] valid, String[] invalidSignature, String wrongIssuer, String wrongAudience, String expired,
                String[] moreValid) {
            this.valid = valid;
            this.firstSeen = moreValid.length == 0 ? new String[0] : concat(valid, moreValid);
            this.invalidSignature = invalidSignature;
            this.wrongIssuer = wrongIssuer;
            this.wrongAudience = wrongAudience;
            this.expired = expired;
        }
    }

    public final int port;
    public final String issuer;
    public final String jwksUri;
    public final String jwksJson;
    private final JWKSet jwks;
    private final Map<Alg, Tokens> tokens;

    private Material(int port, String jwksJson, Map<Alg, Tokens> tokens) {
        this.port = port;
        this.issuer = issuerFor(port);
        this.jwksUri = "http://127.0.0.1:" + port + "/.well-known/jwks.json";
        this.jwksJson = jwksJson;
        try {
            this.jwks = JWKSet.parse(jwksJson);
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
        this.tokens = tokens;
    }

    static String issuerFor(int port) {
        return "http://127.0.0.1:" + port + "/";
    }

    public String userinfoAudience() {
        return issuer + "userinfo";
    }

    public Tokens tokens(Alg alg) {
        return tokens.get(alg);
    }

    /** The public key of {@code alg}'s kid, resolved from the served JWKS (the floor's "pre-resolved" key). */
    public PublicKey publicKey(Alg alg) {
        try {
            JWK jwk = jwks.getKeyByKeyId(alg.kid);
            return alg == Alg.RS256 ? jwk.toRSAKey().toRSAPublicKey() : jwk.toECKey().toECPublicKey();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // per-JVM access

    private static Material instance;
    private static JwksServer localServer;

    /**
     * The material of this JVM: loaded from the file named by {@value #FILE_PROPERTY} (whose JWKS is served by the
     * parent process), or generated here with a JWKS server in this JVM.
     */
    public static synchronized Material get() {
        if (instance == null) {
            String file = System.getProperty(FILE_PROPERTY);
            if (file != null && !file.isEmpty()) {
                instance = readFrom(Path.of(file));
            } else {
                localServer = JwksServer.start();
                instance = generate(localServer.port());
                localServer.serve(instance);
            }
        }
        return instance;
    }

    // ------------------------------------------------------------------------------------------------------------
    // generation

    /** Generates keys (seeded) and mints tokens for an issuer at {@code http://127.0.0.1:port/}. */
    public static Material generate(int port) {
        return generate(port, true);
    }

    /**
     * As {@link #generate(int)}; without {@code firstSeen} the extra first-seen tokens are not minted (minting
     * 20,480 RS256 signatures is most of the set-up time, wasted on a run that does not include first-seen).
     */
    public static Material generate(int port, boolean firstSeen) {
        try {
            KeyPair rsa = rsa(seeded("tokenward-bench-rsa"));
            KeyPair rsaRotated = rsa(seeded("tokenward-bench-rsa-next"));
            KeyPair rsaAttacker = rsa(seeded("tokenward-bench-rsa-attacker"));
            KeyPair ec = ec(seeded("tokenward-bench-ec"));
            KeyPair ecAttacker = ec(seeded("tokenward-bench-ec-attacker"));

            // An Auth0-like key set: the active key, a second (rotation) key, plus the EC key.
            JWKSet set = new JWKSet(List.of(
                    new RSAKey.Builder((RSAPublicKey) rsa.getPublic()).keyID(Alg.RS256.kid)
                            .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).build(),
                    new RSAKey.Builder((RSAPublicKey) rsaRotated.getPublic()).keyID("rsa-2048-k2")
                            .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).build(),
                    new ECKey.Builder(Curve.P_256, (ECPublicKey) ec.getPublic()).keyID(Alg.ES256.kid)
                            .keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).build()));

            String issuer = issuerFor(port);
            Map<Alg, Tokens> tokens = new EnumMap<>(Alg.class);
            tokens.put(Alg.RS256, mint(Alg.RS256, new RSASSASigner((RSAPrivateKey) rsa.getPrivate()),
                    new RSASSASigner((RSAPrivateKey) rsaAttacker.getPrivate()), issuer, firstSeen));
            tokens.put(Alg.ES256, mint(Alg.ES256, new ECDSASigner((ECPrivateKey) ec.getPrivate()),
                    new ECDSASigner((ECPrivateKey) ecAttacker.getPrivate()), issuer, false));
            return new Material(port, set.toString(true), tokens);
        } catch (GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SecureRandom seeded(String seed) throws GeneralSecurityException {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(seed.getBytes(StandardCharsets.UTF_8)); // before first use: deterministic stream
        return random;
    }

    private static KeyPair rsa(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, random);
        return g.generateKeyPair();
    }

    private static KeyPair ec(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Tokens mint(Alg alg, JWSSigner signer, JWSSigner attacker, String issuer, boolean firstSeen) {
        Instant now = Instant.now();
        String userinfo = issuer + "userinfo";
        String[] valid = IntStream.range(0, VALID_TOKENS).parallel()
                .mapToObj(i -> sign(alg, signer, claims(alg, i, issuer, List.of(AUDIENCE, userinfo), now, 86_400)))
                .toArray(String[]::new);
        String[] invalid = IntStream.range(0, INVALID_TOKENS).parallel()
                .mapToObj(i -> sign(alg, attacker,
                        claims(alg, VALID_TOKENS + i, issuer, List.of(AUDIENCE, userinfo), now, 86_400)))
                .toArray(String[]::new);
        String wrongIss = sign(alg, signer, claims(alg, -1, "http://127.0.0.1:1/", List.of(AUDIENCE), now, 86_400));
        String wrongAud = sign(alg, signer, claims(alg, -2, issuer, List.of("https://other.example"), now, 86_400));
        String expired = sign(alg, signer,
                claims(alg, -3, issuer, List.of(AUDIENCE, userinfo), now.minusSeconds(7200), 3600));
        int more = firstSeen ? FIRST_SEEN_TOKENS - VALID_TOKENS : 0;
        String[] moreValid = IntStream.range(0, more).parallel()
                .mapToObj(i -> sign(alg, signer, claims(alg, VALID_TOKENS + INVALID_TOKENS + i, issuer,
                        List.of(AUDIENCE, userinfo), now, 86_400)))
                .toArray(String[]::new);
        return new Tokens(valid, invalid, wrongIss, wrongAud, expired, moreValid);
    }

    private static JWTClaimsSet claims(Alg alg, int i, String issuer, List<String> aud, Instant iat, long ttl) {
        return new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(String.format(Locale.ROOT, "auth0|%s%08x", alg.name().toLowerCase(Locale.ROOT), i))
                .audience(aud)
                .issueTime(java.util.Date.from(iat))
                .expirationTime(java.util.Date.from(iat.plusSeconds(ttl)))
                .claim("azp", "Xq3bEnchClient0000000000000000001")
                .claim("scope", SCOPE)
                .claim("permissions", PERMISSIONS)
                .build();
    }

    private static String sign(Alg alg, JWSSigner signer, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg.jws).keyID(alg.kid).type(AT_JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    // ------------------------------------------------------------------------------------------------------------
    // hand-over file: one "tag value" per line

    public void writeTo(Path file) {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            line(w, "port", Integer.toString(port));
            line(w, "jwks", jwksJson.replace('\n', ' '));
            for (Alg alg : Alg.values()) {
                Tokens t = tokens(alg);
                for (String s : t.valid) line(w, alg + ".valid", s);
                for (String s : t.invalidSignature) line(w, alg + ".invalid", s);
                for (int i = t.valid.length; i < t.firstSeen.length; i++) line(w, alg + ".more", t.firstSeen[i]);
                line(w, alg + ".wrongIss", t.wrongIssuer);
                line(w, alg + ".wrongAud", t.wrongAudience);
                line(w, alg + ".expired", t.expired);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void line(BufferedWriter w, String tag, String value) throws IOException {
        w.write(tag);
        w.write(' ');
        w.write(value);
        w.write('\n');
    }

    static Material readFrom(Path file) {
        int port = -1;
        String jwks = null;
        Map<String, List<String>> lists = new java.util.HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String l; (l = r.readLine()) != null; ) {
                int sp = l.indexOf(' ');
                String tag = l.substring(0, sp);
                String value = l.substring(sp + 1);
                if (tag.equals("port")) port = Integer.parseInt(value);
                else if (tag.equals("jwks")) jwks = value;
                else lists.computeIfAbsent(tag, k -> new ArrayList<>()).add(value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<Alg, Tokens> tokens = new EnumMap<>(Alg.class);
        for (Alg alg : Alg.values()) {
            tokens.put(alg, new Tokens(
                    lists.get(alg + ".valid").toArray(String[]::new),
                    lists.get(alg + ".invalid").toArray(String[]::new),
                    lists.get(alg + ".wrongIss").get(0),
                    lists.get(alg + ".wrongAud").get(0),
                    lists.get(alg + ".expired").get(0),
                    lists.getOrDefault(alg + ".more", List.of()).toArray(String[]::new)));
        }
        return new Material(port, jwks, tokens);
    }
}
