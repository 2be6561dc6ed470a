package dev.tokenward.test;

import dev.tokenward.test.Registrations.Api;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The issuer's OpenID Connect discovery document ({@code /.well-known/openid-configuration}): what
 * it serves and supports, and nothing it does not (no {@code /authorize}, so no response types).
 */
final class DiscoveryDocument {

    private DiscoveryDocument() {
    }

    /** A fresh document for the issuer URL (with its trailing slash) and the registered APIs. */
    static Map<String, Object> of(String issuer, Map<String, Api> apis) {
        Set<String> scopes = new LinkedHashSet<>(List.of("openid", "profile", "email"));
        apis.values().stream().sorted(Comparator.comparing(Api::identifier))
                .forEach(a -> scopes.addAll(a.scopes()));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", issuer);
        doc.put("token_endpoint", issuer + "oauth/token");
        doc.put("userinfo_endpoint", issuer + "userinfo");
        doc.put("introspection_endpoint", issuer + "oauth/introspect");
        doc.put("revocation_endpoint", issuer + "oauth/revoke");
        doc.put("jwks_uri", issuer + ".well-known/jwks.json");
        doc.put("scopes_supported", List.copyOf(scopes));
        // there is no /authorize endpoint, so no authorization response type is supported
        doc.put("response_types_supported", List.of());
        doc.put("grant_types_supported", List.of(TokenService.GRANT_CLIENT_CREDENTIALS, TokenService.GRANT_PASSWORD));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("RS256"));
        doc.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        doc.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        doc.put("revocation_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
        doc.put("dpop_signing_alg_values_supported", DpopProofCheck.ALGORITHMS);
        doc.put("claims_supported", List.of("aud", "email", "email_verified", "exp", "iat", "iss", "name",
                "nickname", "sub", "updated_at"));
        return doc;
    }
}
