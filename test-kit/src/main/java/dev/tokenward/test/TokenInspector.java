package dev.tokenward.test;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenward.test.Registrations.Api;
import dev.tokenward.test.Registrations.User;
import java.text.ParseException;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Answers what the issuer knows about a token it issued: {@link #inspect}, and from that the
 * {@code /userinfo} and RFC 7662 introspection answers. Reads the token state, never changes it.
 */
final class TokenInspector {

    private final String issuer;
    private final String userinfoUrl;
    private final Map<String, Api> apis;
    private final Map<String, User> users;
    private final KeyRing keys;
    private final TokenStore store;
    private final TokenSigner signer;
    private final Supplier<Instant> clock;

    TokenInspector(String issuer, Map<String, Api> apis, Map<String, User> users, KeyRing keys, TokenStore store,
                   TokenSigner signer, Supplier<Instant> clock) {
        this.issuer = issuer;
        this.userinfoUrl = issuer + "userinfo";
        this.apis = apis;
        this.users = users;
        this.keys = keys;
        this.store = store;
        this.signer = signer;
        this.clock = clock;
    }

    /**
     * The token's facts if it is an access token this issuer issued and it is neither expired nor
     * revoked (JWTs: signature against the published keys or the API's HS256 secret, {@code iss},
     * {@code exp}, and an {@code aud} of a registered API; ID tokens therefore do not pass).
     */
    Optional<ActiveToken> inspect(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.get();
        if (token.indexOf('.') < 0) {
            return store.opaque(token, now);
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (store.isRevokedJwt(token)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            List<String> aud = claims.getAudience();
            Api api = aud.stream().map(apis::get).filter(a -> a != null).findFirst().orElse(null);
            if (api == null || !issuer.equals(claims.getIssuer())) {
                return Optional.empty();
            }
            JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
            JWSVerifier verifier;
            if (api.algorithm() == TestIssuer.Algorithm.HS256 && JWSAlgorithm.HS256.equals(alg) && aud.size() == 1) {
                verifier = new MACVerifier(api.secret());
            } else if (api.algorithm() == TestIssuer.Algorithm.RS256 && JWSAlgorithm.RS256.equals(alg)) {
                Optional<RSAKey> key = keys.find(jwt.getHeader().getKeyID());
                if (key.isEmpty()) {
                    return Optional.empty();
                }
                verifier = new RSASSAVerifier(key.get());
            } else {
                return Optional.empty();
            }
            if (!jwt.verify(verifier)) {
                return Optional.empty();
            }
            Date exp = claims.getExpirationTime();
            Date iat = claims.getIssueTime();
            if (exp == null || iat == null || !exp.toInstant().isAfter(now)) {
                return Optional.empty();
            }
            String clientId = claims.getStringClaim("azp");
            if (clientId == null) {
                clientId = claims.getStringClaim("client_id");
            }
            String scope = claims.getStringClaim("scope");
            List<String> scopes = scope == null ? List.of() : List.of(scope.split(" "));
            List<String> permissions = claims.getStringListClaim("permissions");
            String sub = claims.getSubject();
            User user = users.values().stream().filter(u -> u.userId().equals(sub)).findFirst().orElse(null);
            Object audience = aud.size() == 1 ? aud.get(0) : List.copyOf(aud);
            Map<String, Object> cnf = claims.getJSONObjectClaim("cnf");
            return Optional.of(new ActiveToken(sub, clientId, scopes, permissions, iat.toInstant(),
                    exp.toInstant(), audience, false, user, cnf == null ? Map.of() : Map.of("cnf", cnf)));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The /userinfo answer, or a 401 invalid_token when the token may not be used there. */
    Map<String, Object> userinfo(String token) {
        ActiveToken t = inspect(token).filter(a -> a.hasAudience(userinfoUrl))
                .orElseThrow(() -> new TestIssuerException(401, "invalid_token",
                        "The access token is invalid, expired, revoked or not valid for /userinfo"));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("sub", t.subject());
        if (t.user() != null) {
            json.putAll(signer.profileClaims(t.user(), t.scopes()));
        }
        if (t.opaque()) {
            if (!t.scopes().isEmpty()) {
                json.put("scope", String.join(" ", t.scopes()));
            }
            if (t.permissions() != null && !t.permissions().isEmpty()) {
                json.put("permissions", t.permissions());
            }
        }
        t.extraClaims().forEach((name, value) -> {
            if (!name.equals("cnf")) { // the binding is the resource server's business, not userinfo's
                json.put(name, value);
            }
        });
        return json;
    }

    /** The RFC 7662 answer for a token. */
    Map<String, Object> introspect(String token) {
        Optional<ActiveToken> active = inspect(token);
        Map<String, Object> json = new LinkedHashMap<>();
        if (active.isEmpty()) {
            json.put("active", false);
            return json;
        }
        ActiveToken t = active.get();
        json.put("active", true);
        json.put("sub", t.subject());
        json.put("client_id", t.clientId());
        if (!t.scopes().isEmpty()) {
            json.put("scope", String.join(" ", t.scopes()));
        }
        if (t.permissions() != null) {
            json.put("permissions", t.permissions());
        }
        json.put("exp", t.expiresAt().getEpochSecond());
        json.put("iat", t.issuedAt().getEpochSecond());
        json.put("iss", issuer);
        json.put("aud", t.audience());
        // RFC 9449 section 6.2: a DPoP-bound token is introspected as token_type DPoP with its cnf
        boolean bound = t.extraClaims().get("cnf") instanceof Map<?, ?> cnf && cnf.containsKey("jkt");
        json.put("token_type", bound ? "DPoP" : "access_token");
        json.putAll(t.extraClaims());
        return json;
    }
}
