package dev.tokenward.test;

import dev.tokenward.test.Registrations.Api;
import dev.tokenward.test.Registrations.Client;
import dev.tokenward.test.Registrations.User;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token endpoint's grants with Auth0's rules: who gets which audience, scopes, permissions and
 * format (signed JWT or opaque). Callers have already authenticated the client and user and checked
 * any DPoP proof; a refusal is a {@link TestIssuerException} with the status and text Auth0 answers.
 */
final class TokenGrants {

    private static final Logger LOG = LoggerFactory.getLogger(TokenGrants.class);

    static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "email");

    private final String userinfoUrl;
    private final Map<String, Api> apis;
    private final Duration tokenLifetime;
    private final Supplier<Instant> clock;
    private final TokenSigner signer;
    private final TokenStore store;

    TokenGrants(String userinfoUrl, Map<String, Api> apis, Duration tokenLifetime, Supplier<Instant> clock,
                TokenSigner signer, TokenStore store) {
        this.userinfoUrl = userinfoUrl;
        this.apis = apis;
        this.tokenLifetime = tokenLifetime;
        this.clock = clock;
        this.signer = signer;
        this.store = store;
    }

    /**
     * The client-credentials grant as Auth0 runs it: the client needs a client grant for the API;
     * every requested scope must be in that grant (else 403 "Client has not been granted scopes");
     * without a {@code scope} parameter the token gets all granted scopes. A non-null {@code jkt}
     * (the thumbprint of a checked DPoP proof's key) binds the token to that key: {@code cnf.jkt}
     * and {@code token_type: DPoP}.
     */
    TokenResponse clientCredentials(Client client, String audience, String scopeParam, String jkt) {
        List<String> requested = parseScope(scopeParam);
        Instant now = clock.get();
        if (isNoApiAudience(audience)) {
            Set<String> permitted = new LinkedHashSet<>();
            client.authorizations().values().forEach(permitted::addAll);
            List<String> granted = requireGranted(requested, permitted);
            String token = store.newOpaque(new ActiveToken(client.clientId() + "@clients", client.clientId(),
                    granted, granted, now, now.plus(tokenLifetime), userinfoUrl, true, null, confirmation(jkt)), now);
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
        String jwt = signer.accessToken(api, client.clientId() + "@clients", api.identifier(), client.clientId(),
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
     * {@code acr_values} are ignored, as Auth0 does. Bound to {@code jkt} when not null.
     */
    TokenResponse password(Client client, User user, String audience, String scopeParam, String nonce,
                           String acrValues, String jkt) {
        List<String> requested = parseScope(scopeParam);
        List<String> oidc = requested == null ? List.of()
                : requested.stream().filter(OIDC_SCOPES::contains).toList();
        boolean openid = oidc.contains("openid");
        Instant now = clock.get();
        String accessToken;
        List<String> scopes = new ArrayList<>(oidc);
        if (isNoApiAudience(audience)) {
            Set<String> permitted = new LinkedHashSet<>();
            user.permissions().values().forEach(permitted::addAll);
            List<String> apiScopes = intersect(requested, permitted);
            scopes.addAll(apiScopes);
            accessToken = store.newOpaque(new ActiveToken(user.userId(), client.clientId(), List.copyOf(scopes),
                    apiScopes, now, now.plus(tokenLifetime), userinfoUrl, true, user, confirmation(jkt)), now);
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
            accessToken = signer.accessToken(api, user.userId(), aud, client.clientId(), "password", scopes,
                    userPermissions, now, authentication(now, acrValues, jkt));
        }
        String idToken = openid ? signer.idToken(user, client.clientId(), scopes, nonce, accessToken, now) : null;
        LOG.debug("issued password-grant token to {} for {}", client.clientId(), audience);
        return new TokenResponse(accessToken, tokenLifetime.toSeconds(), joinOrNull(scopes), idToken, jkt != null);
    }

    /** {@code auth_time}, {@code acr} / {@code amr} (MFA when asked for) and the DPoP binding. */
    private static Map<String, Object> authentication(Instant now, String acrValues, String jkt) {
        Map<String, Object> authentication = new LinkedHashMap<>();
        authentication.put("auth_time", now.getEpochSecond());
        boolean mfa = acrValues != null && List.of(acrValues.trim().split(" +")).contains(TestIssuer.MFA_ACR);
        if (mfa) {
            authentication.put("acr", TestIssuer.MFA_ACR);
        }
        authentication.put("amr", mfa ? List.of("pwd", "mfa") : List.of("pwd"));
        authentication.putAll(confirmation(jkt));
        return authentication;
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
}
