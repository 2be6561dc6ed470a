package dev.tokenward.benchmarks;

import com.auth0.jwk.JwkProvider;
import com.auth0.jwk.JwkProviderBuilder;
import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.interfaces.ECDSAKeyProvider;
import com.auth0.jwt.interfaces.RSAKeyProvider;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.ConfigurableJWTProcessor;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.io.Closeable;
import java.io.IOException;
import java.net.URL;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The subjects by name, each built the way its own documentation sets up a resource server for one issuer and one
 * audience, with keys from the JWKS URL, accepting only the algorithm under test. Every subject except the bare
 * {@code floor} checks signature, {@code iss}, {@code aud} and {@code exp}; {@link #selfCheck} proves it before any
 * measurement.
 */
public final class Subjects {

    /** Names in table order. */
    public static final List<String> ALL = List.of(
            "floor", "floor-claims", "tokenward", "tokenward-listener", "tokenward-metrics", "tokenward-before",
            "tokenward-after", "tokenward-nocache", "nimbus", "spring", "auth0", "jose4j");

    private Subjects() {
    }

    /**
     * A new subject with an empty key cache: nothing is fetched before its first validation (floors excepted:
     * when {@code cold} is false they get the key handed over).
     */
    public static Subject create(String name, Material m, Material.Alg alg, boolean cold) throws Exception {
        switch (name) {
            case "floor": return new Floor(m, alg, false, cold);
            case "floor-claims": return new Floor(m, alg, true, cold);
            case "tokenward": return TokenwardSubject.create(m, alg, true);
            case "tokenward-nocache": return TokenwardSubject.create(m, alg, false);
            case "tokenward-listener": return TokenwardSubject.create(m, alg, true, TokenwardSubject.Listening.NO_OP);
            case "tokenward-metrics": return TokenwardSubject.create(m, alg, true, TokenwardSubject.Listening.MICROMETER);
            case "tokenward-before": return OtherCoreSubject.create("tokenward.core.before", m, alg);
            case "tokenward-after": return OtherCoreSubject.create("tokenward.core.after", m, alg);
            case "nimbus": return nimbus(m, alg);
            case "spring": return spring(m, alg);
            case "auth0": return auth0(m, alg);
            case "jose4j": return jose4j(m, alg);
            default: throw new IllegalArgumentException("unknown subject " + name);
        }
    }

    /**
     * Accepts a valid token, rejects a forged signature, and (floor excepted) a wrong issuer, a wrong audience and
     * an expired token. Also warms the subject's key cache. Throws if the subject misbehaves.
     */
    public static void selfCheck(String name, Subject s, Material m, Material.Alg alg) {
        Material.Tokens t = m.tokens(alg);
        try {
            Objects.requireNonNull(s.validate(t.valid[0]), "null result");
        } catch (Exception e) {
            throw new IllegalStateException(name + "/" + alg + " rejected a valid token", e);
        }
        mustReject(name, alg, s, t.invalidSignature[0], "a forged signature");
        if (s.checksClaims()) {
            mustReject(name, alg, s, t.wrongIssuer, "a wrong iss");
            mustReject(name, alg, s, t.wrongAudience, "a wrong aud");
            mustReject(name, alg, s, t.expired, "an expired token");
        }
    }

    private static void mustReject(String name, Material.Alg alg, Subject s, String token, String what) {
        try {
            s.validate(token);
        } catch (Exception expected) {
            return;
        }
        throw new IllegalStateException(name + "/" + alg + " accepted " + what);
    }

    // ---------------------------------------------------------------------------------------------------------
    // nimbus-jose-jwt: DefaultJWTProcessor + JWKSourceBuilder (defaults: caching, rate limiting) and the
    // at+jwt type verifier its docs give for OAuth 2.0 access tokens.

    static Subject nimbus(Material m, Material.Alg alg) throws Exception {
        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(new URL(m.jwksUri)).build();
        ConfigurableJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(Material.AT_JWT));
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(alg.jws, keys));
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
                Material.AUDIENCE,
                new JWTClaimsSet.Builder().issuer(m.issuer).build(),
                Set.of(JWTClaimNames.EXPIRATION_TIME)));
        return new Subject() {
            @Override
            public Object validate(String token) throws Exception {
                return p.process(token, null);
            }

            @Override
            public void close() throws IOException {
                if (keys instanceof Closeable) {
                    ((Closeable) keys).close();
                }
            }
        };
    }

    // ---------------------------------------------------------------------------------------------------------
    // Spring Security 6.5: NimbusJwtDecoder.withJwkSetUri, default validators with issuer, plus audience and
    // (as the 6.5 docs prepare for 7) the typ check moved from Nimbus to JwtTypeValidator, allowing at+jwt.

    static Subject spring(Material m, Material.Alg alg) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(m.jwksUri)
                .jwsAlgorithm(SignatureAlgorithm.from(alg.name()))
                .validateType(false)
                .build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(m.issuer),
                new JwtAudienceValidator(Material.AUDIENCE),
                new JwtTypeValidator("at+jwt"),
                new JwtClaimValidator<Object>(JwtClaimNames.EXP, Objects::nonNull)));
        return decoder::decode;
    }

    // ---------------------------------------------------------------------------------------------------------
    // auth0 java-jwt + jwks-rsa: JwkProviderBuilder with caching and rate limiting (README values), a key provider
    // per algorithm, JWT.require(alg).withIssuer().withAudience().

    static Subject auth0(Material m, Material.Alg alg) throws Exception {
        JwkProvider provider = new JwkProviderBuilder(new URL(m.jwksUri))
                .cached(10, 24, TimeUnit.HOURS)
                .rateLimited(10, 1, TimeUnit.MINUTES)
                .build();
        Algorithm algorithm;
        if (alg == Material.Alg.RS256) {
            algorithm = Algorithm.RSA256(new RSAKeyProvider() {
                @Override
                public RSAPublicKey getPublicKeyById(String kid) {
                    try {
                        return (RSAPublicKey) provider.get(kid).getPublicKey();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public RSAPrivateKey getPrivateKey() {
                    return null;
                }

                @Override
                public String getPrivateKeyId() {
                    return null;
                }
            });
        } else {
            algorithm = Algorithm.ECDSA256(new ECDSAKeyProvider() {
                @Override
                public ECPublicKey getPublicKeyById(String kid) {
                    try {
                        return (ECPublicKey) provider.get(kid).getPublicKey();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }

                @Override
                public ECPrivateKey getPrivateKey() {
                    return null;
                }

                @Override
                public String getPrivateKeyId() {
                    return null;
                }
            });
        }
        JWTVerifier verifier = JWT.require(algorithm)
                .withIssuer(m.issuer)
                .withAudience(Material.AUDIENCE)
                .withClaimPresence("exp")
                .build();
        return verifier::verify;
    }

    // ---------------------------------------------------------------------------------------------------------
    // jose4j: JwtConsumerBuilder with HttpsJwksVerificationKeyResolver (plain http is fine for loopback),
    // expected issuer and audience, required exp, a permitted-algorithm constraint.

    static Subject jose4j(Material m, Material.Alg alg) {
        HttpsJwks jwks = new HttpsJwks(m.jwksUri);
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setAllowedClockSkewInSeconds(30)
                .setExpectedIssuer(m.issuer)
                .setExpectedAudience(Material.AUDIENCE)
                .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(jwks))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        alg == Material.Alg.RS256
                                ? AlgorithmIdentifiers.RSA_USING_SHA256
                                : AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .build();
        return consumer::processToClaims;
    }
}
