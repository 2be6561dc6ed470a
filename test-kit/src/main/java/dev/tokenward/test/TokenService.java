package dev.tokenward.test;

import dev.tokenward.test.Registrations.Api;
import dev.tokenward.test.Registrations.Client;
import dev.tokenward.test.Registrations.User;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues, inspects and revokes tokens with Auth0's rules. Knows nothing about HTTP. Thread-safe:
 * configuration is immutable, keys are an immutable snapshot, token state lives in concurrent maps.
 * Tokens are never logged and are kept only as SHA-256 hashes.
 *
 * <p>One door for the endpoints and {@link TestIssuer}'s minting methods over the parts that do the
 * work: {@link TokenGrants} (the grants' rules), {@link TokenSigner} (writing JWTs),
 * {@link TokenStore} (opaque tokens and revocations) and {@link TokenInspector} (userinfo, introspection).
 */
final class TokenService {

    private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);

    static final String GRANT_CLIENT_CREDENTIALS = "client_credentials";
    static final String GRANT_PASSWORD = "password";

    private final Map<String, Client> clients;
    private final Map<String, User> users;
    private final Supplier<Instant> now;
    private final TokenSigner signer;
    private final TokenStore store = new TokenStore();
    private final TokenGrants grants;
    private final TokenInspector inspector;

    TokenService(String issuer, Map<String, Api> apis, Map<String, Client> clients, Map<String, User> users,
                 Duration tokenLifetime, Duration idTokenLifetime, Clock clock, KeyRing keys) {
        this.clients = clients;
        this.users = users;
        this.now = () -> clock.instant().truncatedTo(ChronoUnit.SECONDS);
        this.signer = new TokenSigner(issuer, tokenLifetime, idTokenLifetime, clock, keys);
        this.grants = new TokenGrants(issuer + "userinfo", apis, tokenLifetime, now, signer, store);
        this.inspector = new TokenInspector(issuer, apis, users, keys, store, signer, now);
    }

    // ---------------------------------------------------------------- lookups

    Optional<Client> client(String clientId) {
        return Optional.ofNullable(clientId).map(clients::get);
    }

    Optional<Client> authenticate(String clientId, String clientSecret) {
        Client c = clientId == null ? null : clients.get(clientId);
        return c != null && matches(c.clientSecret(), clientSecret) ? Optional.of(c) : Optional.empty();
    }

    Optional<User> user(String username) {
        return Optional.ofNullable(username).map(users::get);
    }

    Optional<User> authenticateUser(String username, String password) {
        User u = username == null ? null : users.get(username);
        return u != null && matches(u.password(), password) ? Optional.of(u) : Optional.empty();
    }

    /** Constant-time comparison of a registered secret with a presented one (null never matches). */
    private static boolean matches(String registered, String presented) {
        return presented != null && MessageDigest.isEqual(registered.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    // ---------------------------------------------------------------- issuance

    /** {@link TokenGrants#clientCredentials}, as a bearer token. */
    TokenResponse clientCredentials(Client client, String audience, String scopeParam) {
        return clientCredentials(client, audience, scopeParam, null);
    }

    /** {@link TokenGrants#clientCredentials}; bound to {@code jkt} (a checked DPoP proof's key) when not null. */
    TokenResponse clientCredentials(Client client, String audience, String scopeParam, String jkt) {
        return grants.clientCredentials(client, audience, scopeParam, jkt);
    }

    /** {@link TokenGrants#password}, as a bearer token without {@code acr_values}. */
    TokenResponse password(Client client, User user, String audience, String scopeParam, String nonce) {
        return password(client, user, audience, scopeParam, nonce, null);
    }

    /** As {@link #password(Client, User, String, String, String)}, with the request's {@code acr_values}. */
    TokenResponse password(Client client, User user, String audience, String scopeParam, String nonce,
                           String acrValues) {
        return password(client, user, audience, scopeParam, nonce, acrValues, null);
    }

    /** {@link TokenGrants#password}; bound to {@code jkt} when not null. */
    TokenResponse password(Client client, User user, String audience, String scopeParam, String nonce,
                           String acrValues, String jkt) {
        return grants.password(client, user, audience, scopeParam, nonce, acrValues, jkt);
    }

    /** A standalone ID token with the openid, profile and email claims (no at_hash). */
    String idToken(User user, String clientId, String nonce) {
        return signer.idToken(user, clientId, List.of("openid", "profile", "email"), nonce, null, now.get());
    }

    /** Makes a test-minted opaque token known to userinfo and introspection. */
    String registerOpaque(ActiveToken info) {
        return store.newOpaque(info, now.get());
    }

    // ---------------------------------------------------------------- inspection

    /** {@link TokenInspector#inspect}. */
    Optional<ActiveToken> inspect(String token) {
        return inspector.inspect(token);
    }

    /** The /userinfo answer, or a 401 invalid_token when the token may not be used there. */
    Map<String, Object> userinfo(String token) {
        return inspector.userinfo(token);
    }

    /** The RFC 7662 answer for a token. */
    Map<String, Object> introspect(String token) {
        return inspector.introspect(token);
    }

    // ---------------------------------------------------------------- revocation

    /**
     * Revokes an access token (RFC 7009). With a non-null {@code clientId} only that client's own
     * tokens may be revoked. Unknown or already invalid tokens are accepted silently.
     */
    void revoke(String token, String clientId) {
        Optional<ActiveToken> active = inspector.inspect(token);
        if (active.isEmpty()) {
            return;
        }
        if (clientId != null && !clientId.equals(active.get().clientId())) {
            throw new TestIssuerException(400, "unauthorized_client", "The token was not issued to this client");
        }
        store.revoke(token, active.get(), now.get());
        LOG.debug("revoked a token of client {}", active.get().clientId());
    }
}
