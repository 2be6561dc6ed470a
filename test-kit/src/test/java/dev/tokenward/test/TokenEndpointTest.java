package dev.tokenward.test;

import static dev.tokenward.test.TestIssuer.ADMIN_ALL;
import static dev.tokenward.test.TestIssuer.ADMIN_CLIENT;
import static dev.tokenward.test.TestIssuer.ADMIN_SECRET;
import static dev.tokenward.test.TestIssuer.DEFAULT_API;
import static dev.tokenward.test.TestIssuer.DEMO_CLIENT;
import static dev.tokenward.test.TestIssuer.DEMO_PASSWORD;
import static dev.tokenward.test.TestIssuer.DEMO_SECRET;
import static dev.tokenward.test.TestIssuer.DEMO_USER;
import static dev.tokenward.test.TestIssuer.LIMITED_CLIENT;
import static dev.tokenward.test.TestIssuer.LIMITED_SECRET;
import static dev.tokenward.test.TestIssuer.READ_MESSAGES;
import static dev.tokenward.test.Http.basic;
import static dev.tokenward.test.Http.form;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenEndpointTest {

    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final String HS_API = "https://hs.tokenward.dev";
    static final String HS_SECRET = "0123456789abcdef0123456789abcdef-hs256";
    static final String RFC9068_API = "https://rfc9068.tokenward.dev";

    static TestIssuer issuer;

    @BeforeAll
    static void start() {
        issuer = TestIssuer.defaultsBuilder()
                .clock(TestClock.at(NOW))
                .hs256Api(HS_API, HS_SECRET, "read:hs")
                .api(RFC9068_API, a -> a.profile(TestIssuer.TokenProfile.RFC9068).scopes("read:rfc"))
                .client("hs-client", "hs-secret", c -> c.authorize(HS_API, "read:hs")
                        .authorize(RFC9068_API, "read:rfc"))
                .client("m2m-only", "m2m-secret", c -> c.grantTypes("client_credentials").authorize(DEFAULT_API))
                .user("hs-user@tokenward.dev", "hs-password", u -> u.permissions(HS_API, "read:hs"))
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    static Http.Response token(String... kv) {
        return Http.postForm(issuer.tokenEndpoint(), form(kv));
    }

    // ------------------------------------------------------------ client credentials

    @Test
    void tokenWhenClientCredentialsWithAudienceThenAuth0StyleRs256Jwt() throws Exception {
        Http.Response r = token("grant_type", "client_credentials", "client_id", DEMO_CLIENT,
                "client_secret", DEMO_SECRET, "audience", DEFAULT_API);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).containsOnlyKeys("access_token", "token_type", "expires_in", "scope");
        assertThat(r.json()).containsEntry("token_type", "Bearer")
                .containsEntry("expires_in", 86400L)
                .containsEntry("scope", READ_MESSAGES);
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");

        SignedJWT jwt = Http.verifiedRs256(issuer, r.string("access_token"));
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(issuer.currentKeyId());

        Map<String, Object> payload = Http.rawPayload(r.string("access_token"));
        assertThat(payload).containsOnlyKeys("iss", "sub", "aud", "iat", "exp", "scope", "gty", "azp", "permissions");
        assertThat(payload.get("iss")).isEqualTo("http://127.0.0.1:" + issuer.port() + "/");
        assertThat(payload.get("sub")).isEqualTo("demo-client@clients");
        assertThat(payload.get("aud")).isEqualTo(DEFAULT_API); // a plain string, not an array
        assertThat(payload.get("iat")).isEqualTo(NOW.getEpochSecond());
        assertThat(payload.get("exp")).isEqualTo(NOW.getEpochSecond() + 86400);
        assertThat(payload.get("gty")).isEqualTo("client-credentials");
        assertThat(payload.get("azp")).isEqualTo(DEMO_CLIENT);
        assertThat(payload.get("scope")).isEqualTo(READ_MESSAGES);
        assertThat(payload.get("permissions")).isEqualTo(List.of(READ_MESSAGES));
    }

    @Test
    void tokenWhenAdminClientOmitsScopeThenAllGrantedScopes() throws Exception {
        Http.Response r = token("grant_type", "client_credentials", "client_id", ADMIN_CLIENT,
                "client_secret", ADMIN_SECRET, "audience", DEFAULT_API);

        assertThat(r.string("scope")).isEqualTo("read:messages admin:all");
        JWTClaimsSet claims = Http.verifiedRs256(issuer, r.string("access_token")).getJWTClaimsSet();
        assertThat(claims.getStringClaim("scope")).isEqualTo("read:messages admin:all");
        assertThat(claims.getStringListClaim("permissions")).containsExactly(READ_MESSAGES, ADMIN_ALL);
    }

    @Test
    void tokenWhenScopeRequestedThenOnlyThatScope() throws Exception {
        Http.Response r = token("grant_type", "client_credentials", "client_id", ADMIN_CLIENT,
                "client_secret", ADMIN_SECRET, "audience", DEFAULT_API, "scope", ADMIN_ALL);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.string("scope")).isEqualTo(ADMIN_ALL);
        JWTClaimsSet claims = Http.verifiedRs256(issuer, r.string("access_token")).getJWTClaimsSet();
        assertThat(claims.getStringClaim("scope")).isEqualTo(ADMIN_ALL);
        assertThat(claims.getStringListClaim("permissions")).containsExactly(ADMIN_ALL);
    }

    @Test
    void tokenWhenScopeNotGrantedThenAccessDeniedLikeAuth0() {
        Http.Response r = token("grant_type", "client_credentials", "client_id", DEMO_CLIENT,
                "client_secret", DEMO_SECRET, "audience", DEFAULT_API, "scope", "read:messages admin:all");

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json()).containsEntry("error", "access_denied")
                .containsEntry("error_description", "Client has not been granted scopes: admin:all");
    }

    @Test
    void tokenWhenClientCredentialsAskForOpenidThenAccessDenied() {
        Http.Response r = token("grant_type", "client_credentials", "client_id", DEMO_CLIENT,
                "client_secret", DEMO_SECRET, "audience", DEFAULT_API, "scope", "openid");

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json()).containsEntry("error_description", "Client has not been granted scopes: openid");
    }

    @Test
    void tokenWhenLimitedClientThenJwtWithoutScopeAndEmptyPermissions() throws Exception {
        Http.Response r = token("grant_type", "client_credentials", "client_id", LIMITED_CLIENT,
                "client_secret", LIMITED_SECRET, "audience", DEFAULT_API);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).doesNotContainKey("scope");
        Map<String, Object> payload = Http.rawPayload(r.string("access_token"));
        Http.verifiedRs256(issuer, r.string("access_token"));
        assertThat(payload).doesNotContainKey("scope");
        assertThat(payload.get("sub")).isEqualTo("limited-client@clients");
        assertThat(payload.get("permissions")).isEqualTo(List.of());
    }

    @Test
    void tokenWhenClientHasNoGrantForApiThenAccessDenied() {
        Http.Response r = token("grant_type", "client_credentials", "client_id", DEMO_CLIENT,
                "client_secret", DEMO_SECRET, "audience", HS_API);

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json()).containsEntry("error", "access_denied");
        assertThat(r.string("error_description")).startsWith("Client is not authorized to access \"" + HS_API + "\"");
    }

    @Test
    void tokenWhenAudienceOmittedThenOpaque() {
        Http.Response r = token("grant_type", "client_credentials", "client_id", DEMO_CLIENT,
                "client_secret", DEMO_SECRET);

        assertThat(r.status()).isEqualTo(200);
        String token = r.string("access_token");
        assertThat(token).hasSizeGreaterThanOrEqualTo(32).doesNotContain(".").matches("[A-Za-z0-9_-]+");
        assertThatThrownBy(() -> SignedJWT.parse(token)).isInstanceOf(java.text.ParseException.class);
        assertThat(r.json()).containsEntry("token_type", "Bearer").containsEntry("expires_in", 86400L);
    }

    @Test
    void tokenWhenAudienceUnknownThenServiceNotFound() {
        Http.Response r = token("grant_type", "client_credentials", "client_id", DEMO_CLIENT,
                "client_secret", DEMO_SECRET, "audience", "https://unknown.example");

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json()).containsOnly(Map.entry("error", "access_denied"),
                Map.entry("error_description", "Service not found: https://unknown.example"));
    }

    @Test
    void tokenWhenJsonBodyThenAcceptedLikeAuth0() throws Exception {
        Http.Response r = Http.postJson(issuer.tokenEndpoint(), Map.of("grant_type", "client_credentials",
                "client_id", DEMO_CLIENT, "client_secret", DEMO_SECRET, "audience", DEFAULT_API));

        assertThat(r.status()).isEqualTo(200);
        assertThat(Http.verifiedRs256(issuer, r.string("access_token")).getJWTClaimsSet().getSubject())
                .isEqualTo("demo-client@clients");
    }

    @Test
    void tokenWhenHttpBasicClientAuthThenAccepted() throws Exception {
        Http.Response r = Http.postForm(issuer.tokenEndpoint(), basic(DEMO_CLIENT, DEMO_SECRET),
                form("grant_type", "client_credentials", "audience", DEFAULT_API));

        assertThat(r.status()).isEqualTo(200);
        assertThat(Http.verifiedRs256(issuer, r.string("access_token")).getJWTClaimsSet().getStringClaim("azp"))
                .isEqualTo(DEMO_CLIENT);
    }

    @Test
    void tokenWhenWrongSecretThenInvalidClient() {
        Http.Response r = token("grant_type", "client_credentials", "client_id", DEMO_CLIENT,
                "client_secret", "wrong", "audience", DEFAULT_API);

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json()).containsEntry("error", "invalid_client");
    }

    @Test
    void tokenWhenUnknownClientThenInvalidClient() {
        Http.Response r = token("grant_type", "client_credentials", "client_id", "nobody",
                "client_secret", DEMO_SECRET, "audience", DEFAULT_API);

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json()).containsEntry("error", "invalid_client");
    }

    @Test
    void tokenWhenBadBasicCredentialsThenInvalidClientWithBasicChallenge() {
        Http.Response r = Http.postForm(issuer.tokenEndpoint(), basic(DEMO_CLIENT, "wrong"),
                form("grant_type", "client_credentials", "audience", DEFAULT_API));

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json()).containsEntry("error", "invalid_client");
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Basic realm=\"dev-issuer\"");
    }

    @Test
    void tokenWhenNoClientCredentialsThenInvalidClient() {
        Http.Response r = token("grant_type", "client_credentials", "audience", DEFAULT_API);

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json()).containsEntry("error", "invalid_client");
    }

    @Test
    void tokenWhenGrantTypeUnsupportedThenUnsupportedGrantType() {
        Http.Response r = token("grant_type", "authorization_code", "client_id", DEMO_CLIENT,
                "client_secret", DEMO_SECRET, "code", "x");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).containsEntry("error", "unsupported_grant_type");
    }

    @Test
    void tokenWhenGrantTypeMissingThenInvalidRequest() {
        Http.Response r = token("client_id", DEMO_CLIENT, "client_secret", DEMO_SECRET);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).containsEntry("error", "invalid_request");
    }

    @Test
    void tokenWhenGrantTypeNotAllowedForClientThenUnauthorizedClient() {
        Http.Response r = token("grant_type", "password", "client_id", "m2m-only", "client_secret", "m2m-secret",
                "username", DEMO_USER, "password", DEMO_PASSWORD);

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json()).containsEntry("error", "unauthorized_client")
                .containsEntry("error_description", "Grant type 'password' not allowed for the client.");
    }

    @Test
    void tokenWhenParameterRepeatedThenInvalidRequest() {
        Http.Response r = Http.postRaw(issuer.tokenEndpoint(), null, "application/x-www-form-urlencoded",
                "grant_type=client_credentials&client_id=demo-client&client_secret=demo-secret"
                        + "&audience=a&audience=b");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).containsEntry("error", "invalid_request");
    }

    @Test
    void tokenWhenBodyLargerThan64KbThen413() {
        char[] big = new char[70 * 1024];
        Arrays.fill(big, 'a');
        Http.Response r = Http.postRaw(issuer.tokenEndpoint(), null, "application/x-www-form-urlencoded",
                "grant_type=client_credentials&pad=" + new String(big));

        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json()).containsEntry("error", "invalid_request");
    }

    @Test
    void tokenWhenGetThen405() {
        Http.Response r = Http.get(issuer.tokenEndpoint());

        assertThat(r.status()).isEqualTo(405);
        assertThat(r.header("Allow")).isEqualTo("POST");
    }

    // ------------------------------------------------------------ password grant

    @Test
    void tokenWhenPasswordGrantWithOpenidThenArrayAudAndIdToken() throws Exception {
        Http.Response r = token("grant_type", "password", "client_id", DEMO_CLIENT, "client_secret", DEMO_SECRET,
                "username", DEMO_USER, "password", DEMO_PASSWORD, "audience", DEFAULT_API,
                "scope", "openid profile email read:messages admin:all", "nonce", "n-0S6_WzA2Mj");

        assertThat(r.status()).isEqualTo(200);
        // admin:all is requested but the user does not hold it: dropped, as Auth0 RBAC does
        assertThat(r.string("scope")).isEqualTo("openid profile email read:messages");
        String accessToken = r.string("access_token");
        Map<String, Object> payload = Http.rawPayload(accessToken);
        Http.verifiedRs256(issuer, accessToken);
        String userId = TestIssuer.defaultUserId(DEMO_USER);
        assertThat(userId).matches("auth0\\|[0-9a-f]{24}");
        assertThat(payload.get("sub")).isEqualTo(userId);
        assertThat(payload.get("aud")).isEqualTo(List.of(DEFAULT_API, issuer.issuer() + "userinfo"));
        assertThat(payload.get("gty")).isEqualTo("password");
        assertThat(payload.get("azp")).isEqualTo(DEMO_CLIENT);
        assertThat(payload.get("scope")).isEqualTo("openid profile email read:messages");
        assertThat(payload.get("permissions")).isEqualTo(List.of(READ_MESSAGES));
        assertThat(payload.get("exp")).isEqualTo(NOW.getEpochSecond() + 86400);

        SignedJWT id = Http.verifiedRs256(issuer, r.string("id_token"));
        assertThat(id.getHeader().getType()).isEqualTo(JOSEObjectType.JWT);
        Map<String, Object> idPayload = Http.rawPayload(r.string("id_token"));
        assertThat(idPayload.get("iss")).isEqualTo(issuer.issuer());
        assertThat(idPayload.get("aud")).isEqualTo(DEMO_CLIENT);
        assertThat(idPayload.get("sub")).isEqualTo(userId);
        assertThat(idPayload.get("nonce")).isEqualTo("n-0S6_WzA2Mj");
        assertThat(idPayload.get("email")).isEqualTo(DEMO_USER);
        assertThat(idPayload.get("email_verified")).isEqualTo(true);
        assertThat(idPayload.get("name")).isEqualTo("Demo User");
        assertThat(idPayload.get("nickname")).isEqualTo("demo");
        assertThat(idPayload.get("iat")).isEqualTo(NOW.getEpochSecond());
        assertThat(idPayload.get("exp")).isEqualTo(NOW.getEpochSecond() + 36000);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
        assertThat(idPayload.get("at_hash")).isEqualTo(Base64URL.encode(Arrays.copyOf(digest, 16)).toString());
    }

    @Test
    void tokenWhenPasswordGrantWithoutOpenidThenStringAudAndNoIdToken() throws Exception {
        Http.Response r = token("grant_type", "password", "client_id", DEMO_CLIENT, "client_secret", DEMO_SECRET,
                "username", DEMO_USER, "password", DEMO_PASSWORD, "audience", DEFAULT_API, "scope", READ_MESSAGES);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json()).doesNotContainKey("id_token").containsEntry("scope", READ_MESSAGES);
        Map<String, Object> payload = Http.rawPayload(r.string("access_token"));
        assertThat(payload.get("aud")).isEqualTo(DEFAULT_API);
    }

    @Test
    void tokenWhenPasswordWrongThenInvalidGrant() {
        Http.Response r = token("grant_type", "password", "client_id", DEMO_CLIENT, "client_secret", DEMO_SECRET,
                "username", DEMO_USER, "password", "nope", "audience", DEFAULT_API);

        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json()).containsEntry("error", "invalid_grant")
                .containsEntry("error_description", "Wrong email or password.");
    }

    @Test
    void tokenWhenPasswordGrantWithoutAudienceThenOpaqueAndIdToken() throws Exception {
        Http.Response r = token("grant_type", "password", "client_id", DEMO_CLIENT, "client_secret", DEMO_SECRET,
                "username", DEMO_USER, "password", DEMO_PASSWORD, "scope", "openid email");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.string("access_token")).doesNotContain(".");
        assertThat(r.string("scope")).isEqualTo("openid email");
        assertThat(Http.verifiedRs256(issuer, r.string("id_token")).getJWTClaimsSet().getAudience())
                .containsExactly(DEMO_CLIENT);
    }

    // ------------------------------------------------------------ HS256 and RFC 9068 APIs

    @Test
    void tokenWhenHs256ApiThenHs256JwtWithSingleStringAud() throws Exception {
        Http.Response r = token("grant_type", "client_credentials", "client_id", "hs-client",
                "client_secret", "hs-secret", "audience", HS_API);

        assertThat(r.status()).isEqualTo(200);
        SignedJWT jwt = SignedJWT.parse(r.string("access_token"));
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
        assertThat(jwt.getHeader().getKeyID()).isNull();
        assertThat(jwt.verify(new MACVerifier(HS_SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
        Map<String, Object> payload = Http.rawPayload(r.string("access_token"));
        assertThat(payload.get("aud")).isEqualTo(HS_API);
        assertThat(payload.get("iss")).isEqualTo(issuer.issuer());
        assertThat(payload.get("scope")).isEqualTo("read:hs");
    }

    @Test
    void tokenWhenHs256ApiAndOpenidThenRefusedBecauseSingleAudienceOnly() {
        Http.Response r = token("grant_type", "password", "client_id", DEMO_CLIENT, "client_secret", DEMO_SECRET,
                "username", "hs-user@tokenward.dev", "password", "hs-password", "audience", HS_API,
                "scope", "openid read:hs");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json()).containsEntry("error", "invalid_request");
        assertThat(r.string("error_description")).contains("HS256").contains("RS256");
    }

    @Test
    void tokenWhenHs256ApiUserGrantWithoutOpenidThenSingleAud() throws Exception {
        Http.Response r = token("grant_type", "password", "client_id", DEMO_CLIENT, "client_secret", DEMO_SECRET,
                "username", "hs-user@tokenward.dev", "password", "hs-password", "audience", HS_API);

        assertThat(r.status()).isEqualTo(200);
        assertThat(Http.rawPayload(r.string("access_token")).get("aud")).isEqualTo(HS_API);
        assertThat(Http.rawPayload(r.string("access_token")).get("permissions")).isEqualTo(List.of("read:hs"));
    }

    @Test
    void tokenWhenRfc9068ProfileThenAtJwtTypeAndClientId() throws Exception {
        Http.Response r = token("grant_type", "client_credentials", "client_id", "hs-client",
                "client_secret", "hs-secret", "audience", RFC9068_API);

        assertThat(r.status()).isEqualTo(200);
        SignedJWT jwt = Http.verifiedRs256(issuer, r.string("access_token"));
        assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("at+jwt"));
        Map<String, Object> payload = Http.rawPayload(r.string("access_token"));
        assertThat(payload).containsEntry("client_id", "hs-client")
                .containsEntry("sub", "hs-client@clients")
                .containsEntry("aud", RFC9068_API)
                .containsKey("jti")
                .doesNotContainKeys("azp", "gty");
    }

    // ------------------------------------------------------------ minting without HTTP

    @Test
    void accessTokenWhenMintedDirectlyThenSameClaimsAsEndpoint() throws Exception {
        String token = issuer.accessToken(DEMO_CLIENT, DEFAULT_API);

        JWTClaimsSet claims = Http.verifiedRs256(issuer, token).getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo(issuer.issuer());
        assertThat(claims.getSubject()).isEqualTo("demo-client@clients");
        assertThat(claims.getStringClaim("scope")).isEqualTo(READ_MESSAGES);
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plusSeconds(86400));
    }

    @Test
    void accessTokenWhenMintedForUnknownAudienceThenSameErrorAsEndpoint() {
        assertThatThrownBy(() -> issuer.accessToken(DEMO_CLIENT, "https://nope"))
                .isInstanceOfSatisfying(TestIssuerException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.error()).isEqualTo("access_denied");
                    assertThat(e.description()).isEqualTo("Service not found: https://nope");
                });
    }

    @Test
    void userAccessTokenWhenOpenidThenArrayAud() throws Exception {
        String token = issuer.userAccessToken(DEMO_USER, DEMO_CLIENT, DEFAULT_API, "openid", READ_MESSAGES);

        assertThat(Http.verifiedRs256(issuer, token).getJWTClaimsSet().getAudience())
                .containsExactly(DEFAULT_API, issuer.userinfoEndpoint());
    }

    @Test
    void idTokenWhenMintedDirectlyThenClientAudienceAndNonce() throws Exception {
        String token = issuer.idToken(DEMO_USER, DEMO_CLIENT, "abc");

        JWTClaimsSet claims = Http.verifiedRs256(issuer, token).getJWTClaimsSet();
        assertThat(claims.getAudience()).containsExactly(DEMO_CLIENT);
        assertThat(claims.getStringClaim("nonce")).isEqualTo("abc");
        assertThat(claims.getStringClaim("email")).isEqualTo(DEMO_USER);
        assertThat(claims.getClaim("at_hash")).isNull();
    }

    @Test
    void opaqueTokenWhenMintedDirectlyThenNotAJwt() {
        String token = issuer.opaqueToken(DEMO_CLIENT);

        assertThat(token).hasSize(43).doesNotContain(".");
    }
}
