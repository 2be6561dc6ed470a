package dev.tokenward.test;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenward.test.Registrations.Api;
import dev.tokenward.test.Registrations.Client;
import dev.tokenward.test.Registrations.User;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues, inspects and revokes tokens with Auth0's rules. Knows nothing about HTTP. Thread-safe:
 * configuration is immutable, keys are an immutable snapshot, token state lives in concurrent maps.
 * Tokens are never logged and are kept only as SHA-256 hashes.
 */
final class TokenService {

    private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);

    static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "email");
    static final String GRANT_CLIENT_CREDENTIALS = "client_credentials";
    static final String GRANT_PASSWORD = "password";

    /** Prune expired revocation / opaque entries once the maps grow past this. */
    private static final int PRUNE_THRESHOLD = 1_000;

    private final String issuer;
    private final String userinfoUrl;
    private final Map<String, Api> apis;
    private final Map<String, Client> clients;
    private final Map<String, User> users;
    private final Duration tokenLifetime;
    private final Duration idTokenLifetime;
    private final Clock clock;
    private final KeyRing keys;
    private final String updatedAt;
    private final SecureRandom random = new SecureRandom();

    private final ConcurrentHashMap<String, ActiveToken> opaqueTokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Instant> revokedJwts = new ConcurrentHashMap<>();

    TokenService(String issuer, Map<String, Api> apis, Map<String, Client> clients, Map<String, User> users,
                 Duration tokenLifetime, Duration idTokenLifetime, Clock clock, KeyRing keys) {
        this.issuer = issuer;
        this.userinfoUrl = issuer + "userinfo";
        this.apis = apis;
        this.clients = clients;
        this.users = users;
        this.tokenLifetime = tokenLifetime;
        this.idTokenLifetime = idTokenLifetime;
        this.clock = clock;
        this.keys = keys;
        // Auth0 formats updated_at with milliseconds: 2025-06-01T12:00:00.000Z
        this.updatedAt = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC)
                .format(clock.instant());
    }

    /**
     * A successful token endpoint answer. {@code scope} and {@code idToken} may be null;
     * {@code dpopBound} answers {@code token_type: DPoP} (RFC 9449 section 5).
     */
    record TokenResponse(String accessToken, long expiresIn, String scope, String idToken, boolean dpopBound) {

        TokenResponse(String accessToken, long expiresIn, String scope, String idToken) {
            this(accessToken, expiresIn, scope, idToken, false);
        }

        Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("access_token", accessToken);
            if (idToken != null) {
                json.put("id_token", idToken);
            }
            if (scope != null) {
                json.put("scope", scope);
            }
            json.put("expires_in", expiresIn);
            json.put("token_type", dpopBound ? "DPoP" : "Bearer");
            return json;
        }
    }

    /**
     * What the issuer knows about a valid access token. {@code audience} is a String or a List;
     * {@code permissions} is null when the token carries no permissions claim; {@code user} is null
     * for client-credentials tokens; {@code extraClaims} are further claims a test gave an opaque
     * token ({@link OpaqueTokenBuilder#claim}), answered by userinfo and introspection.
     */
    record ActiveToken(String subject, String clientId, List<String> scopes, List<String> permissions,
                       Instant issuedAt, Instant expiresAt, Object audience, boolean opaque, User user,
                       Map<String, Object> extraClaims) {

        boolean hasAudience(String aud) {
            return audience instanceof List<?> l ? l.contains(aud) : aud.equals(audience);
        }
    }

    // ---------------------------------------------------------------- lookups

    Optional<Client> client(String clientId) {
        return Optional.ofNullable(clientId).map(clients::get);
    }

    Optional<Client> authenticate(String clientId, String clientSecret) {
        Client c = clientId == null ? null : clients.get(clientId);
        if (c == null || clientSecret == null) {
            return Optional.empty();
        }
        boolean ok = MessageDigest.isEqual(c.clientSecret().getBytes(StandardCharsets.UTF_8),
                clientSecret.getBytes(StandardCharsets.UTF_8));
        return ok ? Optional.of(c) : Optional.empty();
    }

    Optional<User> user(String username) {
        return Optional.ofNullable(username).map(users::get);
    }

    Optional<User> authenticateUser(String username, String password) {
        User u = username == null ? null : users.get(username);
        if (u == null || password == null) {
            return Optional.empty();
        }
        boolean ok = MessageDigest.isEqual(u.password().getBytes(StandardCharsets.UTF_8),
                password.getBytes(StandardCharsets.UTF_8));
        return ok ? Optional.of(u) : Optional.empty();
    }

    // ---------------------------------------------------------------- issuance

    /**
     * The client-credentials grant as Auth0 runs it: the client needs a client grant for the API;
     * every requested scope must be in that grant (else 403 "Client has not been granted scopes");
     * without a {@code scope} parameter the token gets all granted scopes.
     */
    TokenResponse clientCredentials(Client client, String audience, String scopeParam) {
        return clientCredentials(client, audience, scopeParam, null);
    }

    /**
     * As {@link #clientCredentials(Client, String, String)}; a non-null {@code jkt} (the thumbprint of
     * a checked DPoP proof's key) binds the token to that key: {@code cnf.jkt} and {@code token_type: DPoP}.
     */
    TokenResponse clientCredentials(Client client, String audience, String scopeParam, String jkt) {
        List<String> requested = parseScope(scopeParam);
        Instant now = now();
        if (isNoApiAudience(audience)) {
            Set<String> permitted = new LinkedHashSet<>();
            client.authorizations().values().forEach(permitted::addAll);
            List<String> granted = requireGranted(requested, permitted);
            String token = newOpaque(new ActiveToken(client.clientId() + "@clients", client.clientId(), granted,
                    granted, now, now.plus(tokenLifetime), userinfoUrl, true, null, confirmation(jkt)));
            LOG.debug("issued opaque client-credentials token to {}", client.clientId());
            return new TokenResponse(token, tokenLifetime.toSeconds(), joinOrNull(granted), null, jkt != null);
        }
        Api api = requireApi(audience);
        List<String> grant = client.authorizations().get(api.identifier());
        if (grant == null) {
            throw new TestIssuerException(403, "access_denied", "Client is not authorized to access \""
                    + api.identifier() + "\". You need to create a \"client-grant\" associated to this API.");
        }
        List<String> granted = requireGranted(requested, new LinkedHashSet<>(grant));
        String jwt = signAccessToken(api, client.clientId() + "@clients", api.identifier(), client.clientId(),
                "client-credentials", granted, granted, now, confirmation(jkt));
        LOG.debug("issued {} client-credentials token to {} for {}", api.algorithm(), client.clientId(),
                api.identifier());
        return new TokenResponse(jwt, tokenLifetime.toSeconds(), joinOrNull(granted), null, jkt != null);
    }

    /**
     * The password grant (Resource Owner Password) with Auth0's RBAC rules: the {@code scope} claim
     * is the requested OIDC scopes plus the requested API scopes the user holds (all the user's
     * permissions when no scope is requested); {@code permissions} is every permission the user has
     * for the API; {@code openid} adds the /userinfo audience and an ID token.
     *
     * <p>The grant is an authentication, so an access token for an API carries {@code auth_time}
     * (now) and {@code amr: ["pwd"]}; with {@code acr_values} naming Auth0's multi-factor policy
     * ({@link TestIssuer#MFA_ACR}) the user is taken to have passed MFA, as after Auth0's
     * challenge: {@code acr} is that value and {@code amr} is {@code ["pwd", "mfa"]}. Other
     * {@code acr_values} are ignored, as Auth0 does.
     */
    TokenResponse password(Client client, User user, String audience, String scopeParam, String nonce) {
        return password(client, user, audience, scopeParam, nonce, null);
    }

    /** As {@link #password(Client, User, String, String, String)}, with the request's {@code acr_values}. */
    TokenResponse password(Client client, User user, String audience, String scopeParam, String nonce,
                           String acrValues) {
        return password(client, user, audience, scopeParam, nonce, acrValues, null);
    }

    /** As {@link #password(Client, User, String, String, String, String)}, bound to {@code jkt} when not null. */
    TokenResponse password(Client client, User user, String audience, String scopeParam, String nonce,
                           String acrValues, String jkt) {
        List<String> requested = parseScope(scopeParam);
        List<String> oidc = requested == null ? List.of()
                : requested.stream().filter(OIDC_SCOPES::contains).toList();
        boolean openid = oidc.contains("openid");
        Instant now = now();
        String accessToken;
        List<String> scopes = new ArrayList<>(oidc);
        if (isNoApiAudience(audience)) {
            Set<String> permitted = new LinkedHashSet<>();
            user.permissions().values().forEach(permitted::addAll);
            List<String> apiScopes = intersect(requested, permitted);
            scopes.addAll(apiScopes);
            accessToken = newOpaque(new ActiveToken(user.userId(), client.clientId(), List.copyOf(scopes),
                    apiScopes, now, now.plus(tokenLifetime), userinfoUrl, true, user, confirmation(jkt)));
        } else {
            Api api = requireApi(audience);
            if (openid && api.algorithm() == TestIssuer.Algorithm.HS256) {
                throw new TestIssuerException(400, "invalid_request", "The API \"" + api.identifier()
                        + "\" signs with HS256, and HS256 access tokens can hold only one audience;"
                        + " the scope openid adds the /userinfo audience, so the API must use RS256");
            }
            List<String> userPermissions = user.permissions().getOrDefault(api.identifier(), List.of());
            scopes.addAll(intersect(requested, new LinkedHashSet<>(userPermissions)));
            Object aud = openid ? List.of(api.identifier(), userinfoUrl) : api.identifier();
            Map<String, Object> authentication = new LinkedHashMap<>();
            authentication.put("auth_time", now.getEpochSecond());
            boolean mfa = acrValues != null && List.of(acrValues.trim().split(" +")).contains(TestIssuer.MFA_ACR);
            if (mfa) {
                authentication.put("acr", TestIssuer.MFA_ACR);
            }
            authentication.put("amr", mfa ? List.of("pwd", "mfa") : List.of("pwd"));
            authentication.putAll(confirmation(jkt));
            accessToken = signAccessToken(api, user.userId(), aud, client.clientId(), "password", scopes,
                    userPermissions, now, authentication);
        }
        String idToken = openid ? signIdToken(user, client.clientId(), scopes, nonce, accessToken, now) : null;
        LOG.debug("issued password-grant token to {} for {}", client.clientId(), audience);
        return new TokenResponse(accessToken, tokenLifetime.toSeconds(), joinOrNull(scopes), idToken, jkt != null);
    }

    /** A standalone ID token with the openid, profile and email claims (no at_hash). */
    String idToken(User user, String clientId, String nonce) {
        return signIdToken(user, clientId, List.of("openid", "profile", "email"), nonce, null, now());
    }

    private boolean isNoApiAudience(String audience) {
        return audience == null || audience.isEmpty() || audience.equals(userinfoUrl);
    }

    private Api requireApi(String audience) {
        Api api = apis.get(audience);
        if (api == null) {
            throw new TestIssuerException(403, "access_denied", "Service not found: " + audience);
        }
        return api;
    }

    private static List<String> requireGranted(List<String> requested, Set<String> granted) {
        if (requested == null) {
            return List.copyOf(granted);
        }
        List<String> missing = requested.stream().filter(s -> !granted.contains(s)).toList();
        if (!missing.isEmpty()) {
            throw new TestIssuerException(403, "access_denied",
                    "Client has not been granted scopes: " + String.join(", ", missing));
        }
        return requested;
    }

    private static List<String> intersect(List<String> requested, Set<String> permitted) {
        if (requested == null) {
            return List.copyOf(permitted);
        }
        return requested.stream().filter(permitted::contains).toList();
    }

    /** {@code cnf} binding the token to a DPoP key (RFC 9449 section 6), or nothing for a bearer token. */
    static Map<String, Object> confirmation(String jkt) {
        return jkt == null ? Map.of() : Map.of("cnf", Map.of("jkt", jkt));
    }

    /** With {@code extra} claims (the user's authentication: {@code auth_time}, {@code acr}, {@code amr}). */
    private String signAccessToken(Api api, String subject, Object audience, String clientId, String gty,
                                   List<String> scopes, List<String> permissions, Instant now,
                                   Map<String, Object> extra) {
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

    private String signIdToken(User user, String clientId, List<String> scopes, String nonce, String accessToken,
                               Instant now) {
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
        byte[] digest = sha256(accessToken.getBytes(StandardCharsets.US_ASCII));
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

    /** Makes a test-minted opaque token known to userinfo and introspection. */
    String registerOpaque(ActiveToken info) {
        return newOpaque(info);
    }

    private String newOpaque(ActiveToken info) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        if (opaqueTokens.size() > PRUNE_THRESHOLD) {
            Instant now = now();
            opaqueTokens.values().removeIf(t -> !t.expiresAt().isAfter(now));
        }
        opaqueTokens.put(hash(token), info);
        return token;
    }

    // ---------------------------------------------------------------- inspection

    /**
     * The token's facts if it is an access token this issuer issued and it is neither expired nor
     * revoked (JWTs: signature against the published keys or the API's HS256 secret, {@code iss},
     * {@code exp}, and an {@code aud} of a registered API; ID tokens therefore do not pass).
     */
    Optional<ActiveToken> inspect(String token) {
        if (token == null || token.isEmpty()) {
            return Optional.empty();
        }
        Instant now = now();
        if (token.indexOf('.') < 0) {
            ActiveToken t = opaqueTokens.get(hash(token));
            return t != null && t.expiresAt().isAfter(now) ? Optional.of(t) : Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (revokedJwts.containsKey(hash(token))) {
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
            json.putAll(profileClaims(t.user(), t.scopes()));
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

    // ---------------------------------------------------------------- revocation

    /**
     * Revokes an access token (RFC 7009). With a non-null {@code clientId} only that client's own
     * tokens may be revoked. Unknown or already invalid tokens are accepted silently.
     */
    void revoke(String token, String clientId) {
        Optional<ActiveToken> active = inspect(token);
        if (active.isEmpty()) {
            return;
        }
        if (clientId != null && !clientId.equals(active.get().clientId())) {
            throw new TestIssuerException(400, "unauthorized_client", "The token was not issued to this client");
        }
        if (active.get().opaque()) {
            opaqueTokens.remove(hash(token));
        } else {
            Instant now = now();
            if (revokedJwts.size() > PRUNE_THRESHOLD) {
                revokedJwts.values().removeIf(exp -> !exp.isAfter(now));
            }
            revokedJwts.put(hash(token), active.get().expiresAt());
        }
        LOG.debug("revoked a token of client {}", active.get().clientId());
    }

    // ---------------------------------------------------------------- helpers

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    /** Splits a space-delimited scope parameter; null when absent or blank. Keeps order, drops repeats. */
    static List<String> parseScope(String scopeParam) {
        if (scopeParam == null || scopeParam.isBlank()) {
            return null;
        }
        return List.copyOf(new LinkedHashSet<>(Arrays.asList(scopeParam.trim().split(" +"))));
    }

    private static String joinOrNull(List<String> scopes) {
        return scopes.isEmpty() ? null : String.join(" ", scopes);
    }

    private static String hash(String token) {
        return HexFormat.of().formatHex(sha256(token.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
