package dev.tokenward.test;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenward.test.Registrations.Api;
import dev.tokenward.test.Registrations.User;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Writes and signs the JWTs the token endpoint issues: access tokens in the API's profile and
 * algorithm, ID tokens with RS256 and the tenant's current key. Decides nothing about who may have them.
 */
final class TokenSigner {

    private final String issuer;
    private final Duration tokenLifetime;
    private final Duration idTokenLifetime;
    private final KeyRing keys;
    private final String updatedAt;

    TokenSigner(String issuer, Duration tokenLifetime, Duration idTokenLifetime, Clock clock, KeyRing keys) {
        this.issuer = issuer;
        this.tokenLifetime = tokenLifetime;
        this.idTokenLifetime = idTokenLifetime;
        this.keys = keys;
        // Auth0 formats updated_at with milliseconds: 2025-06-01T12:00:00.000Z
        this.updatedAt = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC)
                .format(clock.instant());
    }

    /** With {@code extra} claims (the user's authentication: {@code auth_time}, {@code acr}, {@code amr}). */
    String accessToken(Api api, String subject, Object audience, String clientId, String gty,
                       List<String> scopes, List<String> permissions, Instant now, Map<String, Object> extra) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(subject);
        if (audience instanceof List<?> list) {
            claims.audience(list.stream().map(String.class::cast).toList());
        } else {
            claims.audience((String) audience);
        }
        claims.issueTime(Date.from(now)).expirationTime(Date.from(now.plus(tokenLifetime)));
        if (api.profile() == TestIssuer.TokenProfile.RFC9068) {
            claims.jwtID(UUID.randomUUID().toString()).claim("client_id", clientId);
        }
        if (!scopes.isEmpty()) {
            claims.claim("scope", String.join(" ", scopes));
        }
        if (api.profile() == TestIssuer.TokenProfile.AUTH0) {
            claims.claim("gty", gty).claim("azp", clientId);
        }
        claims.claim("permissions", List.copyOf(permissions));
        extra.forEach(claims::claim);
        JOSEObjectType typ = api.profile() == TestIssuer.TokenProfile.RFC9068
                ? new JOSEObjectType("at+jwt") : JOSEObjectType.JWT;
        try {
            if (api.algorithm() == TestIssuer.Algorithm.HS256) {
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(typ).build(),
                        claims.build());
                jwt.sign(new MACSigner(api.secret()));
                return jwt.serialize();
            }
            return signRs256(typ, claims.build());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an access token", e);
        }
    }

    /** An RS256 ID token; {@code at_hash} when {@code accessToken} is not null, {@code nonce} when given. */
    String idToken(User user, String clientId, List<String> scopes, String nonce, String accessToken, Instant now) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
        profileClaims(user, scopes).forEach(claims::claim);
        claims.issuer(issuer)
                .audience(clientId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(idTokenLifetime)))
                .subject(user.userId());
        if (accessToken != null) {
            claims.claim("at_hash", atHash(accessToken));
        }
        if (nonce != null && !nonce.isEmpty()) {
            claims.claim("nonce", nonce);
        }
        try {
            return signRs256(JOSEObjectType.JWT, claims.build());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an ID token", e);
        }
    }

    private String signRs256(JOSEObjectType typ, JWTClaimsSet claims) throws JOSEException {
        RSAKey key = keys.current();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).type(typ).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** OIDC Core 3.1.3.6: left half of SHA-256 over the ASCII token, base64url. */
    static String atHash(String accessToken) {
        byte[] digest = Sha256.digest(accessToken.getBytes(StandardCharsets.US_ASCII));
        return Base64URL.encode(Arrays.copyOf(digest, digest.length / 2)).toString();
    }

    /** Claims of the profile and email scopes, as Auth0 fills them for a database user. */
    Map<String, Object> profileClaims(User user, List<String> scopes) {
        Map<String, Object> claims = new LinkedHashMap<>();
        if (scopes.contains("profile")) {
            claims.put("nickname", user.nickname());
            claims.put("name", user.name());
            claims.put("updated_at", updatedAt);
        }
        if (scopes.contains("email") && user.email() != null) {
            claims.put("email", user.email());
            claims.put("email_verified", user.emailVerified());
        }
        return claims;
    }
}
