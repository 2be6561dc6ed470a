package dev.tokenward.test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Mints one opaque access token for a test: a random string that only the issuer's {@code /userinfo}
 * and RFC 7662 introspection endpoints can resolve, with the answers described here. Like Auth0's
 * opaque tokens it is always good at {@code /userinfo}; {@link #audience} adds API audiences that
 * introspection reports.
 *
 * <pre>{@code
 * String opaque = issuer.opaque().subject("auth0|alice").scopes("read:messages").issue();
 * }</pre>
 *
 * Not thread-safe; one builder per token.
 */
public final class OpaqueTokenBuilder {

    private final TestIssuer issuer;
    private final TokenService tokens;
    private String subject = JwtBuilder.DEFAULT_SUBJECT;
    private String clientId = JwtBuilder.DEFAULT_CLIENT;
    private List<String> audiences = List.of();
    private List<String> scopes = List.of();
    private List<String> permissions;
    private Instant issuedAt;
    private Instant expiresAt;
    private Duration lifetime;
    private final Map<String, Object> claims = new LinkedHashMap<>();

    OpaqueTokenBuilder(TestIssuer issuer, TokenService tokens, Duration lifetime) {
        this.issuer = issuer;
        this.tokens = tokens;
        this.lifetime = lifetime;
    }

    /** The {@code sub} both endpoints answer; default {@value JwtBuilder#DEFAULT_SUBJECT}. */
    public OpaqueTokenBuilder subject(String subject) {
        this.subject = Objects.requireNonNull(subject, "subject");
        return this;
    }

    /** The {@code client_id} introspection answers; default {@value JwtBuilder#DEFAULT_CLIENT}. */
    public OpaqueTokenBuilder clientId(String clientId) {
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        return this;
    }

    /** API audiences introspection reports besides the issuer's /userinfo; default none. */
    public OpaqueTokenBuilder audience(String... audiences) {
        this.audiences = List.copyOf(Arrays.asList(audiences));
        return this;
    }

    /** The {@code scope} both endpoints answer (this issuer's userinfo answers it, unlike Auth0's). */
    public OpaqueTokenBuilder scopes(String... scopes) {
        this.scopes = List.copyOf(Arrays.asList(scopes));
        return this;
    }

    /** Auth0 RBAC {@code permissions} both endpoints answer; default none. */
    public OpaqueTokenBuilder permissions(String... permissions) {
        this.permissions = List.copyOf(Arrays.asList(permissions));
        return this;
    }

    /**
     * Any further claim both endpoints answer, for example {@code email}; a JSON value. It replaces a
     * member the issuer would write, for example {@code iss} for an introspection endpoint that answers
     * for another issuer.
     */
    public OpaqueTokenBuilder claim(String name, Object value) {
        claims.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Binds the token to a DPoP key: introspection answers {@code cnf.jkt} and {@code token_type: DPoP}
     * (RFC 9449 section 6.2); userinfo does not show the binding.
     */
    public OpaqueTokenBuilder boundTo(DpopKey key) {
        return claim("cnf", Map.of("jkt", Objects.requireNonNull(key, "key").thumbprint()));
    }

    /** How long the token is active; default the issuer's token lifetime. */
    public OpaqueTokenBuilder lifetime(Duration lifetime) {
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        return this;
    }

    /** When the token stops being active; default now + the lifetime. */
    public OpaqueTokenBuilder expiresAt(Instant expiresAt) {
        this.expiresAt = Objects.requireNonNull(expiresAt, "expiresAt");
        return this;
    }

    /** Expired an hour ago: introspection answers {@code active: false}, userinfo 401. */
    public OpaqueTokenBuilder expired() {
        Instant now = issuer.now();
        this.issuedAt = now.minus(Duration.ofHours(2));
        this.expiresAt = now.minus(Duration.ofHours(1));
        return this;
    }

    /** Registers the token with the issuer and returns it (43 base64url characters, no dots). */
    public String issue() {
        Instant iat = issuedAt != null ? issuedAt : issuer.now();
        Instant exp = expiresAt != null ? expiresAt : iat.plus(lifetime);
        List<String> aud = new ArrayList<>(audiences);
        aud.add(issuer.userinfoEndpoint());
        Object audience = aud.size() == 1 ? aud.get(0) : List.copyOf(aud);
        return tokens.registerOpaque(new ActiveToken(subject, clientId, scopes, permissions, iat, exp,
                audience, true, null, Map.copyOf(claims)));
    }
}
