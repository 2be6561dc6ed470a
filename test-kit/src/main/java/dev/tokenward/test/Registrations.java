package dev.tokenward.test;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Immutable tenant configuration as the token service sees it. */
final class Registrations {

    private Registrations() {
    }

    /** A registered API (Auth0 "resource server"). {@code secret} is only set for HS256. */
    record Api(String identifier, TestIssuer.Algorithm algorithm, byte[] secret,
               TestIssuer.TokenProfile profile, List<String> scopes) {
    }

    /**
     * A registered application. {@code authorizations} maps an API identifier to the scopes of its
     * client grant (an entry with an empty list is a client grant without scopes; no entry means the
     * client is not authorized for that API at all).
     */
    record Client(String clientId, String clientSecret, Set<String> grantTypes,
                  Map<String, List<String>> authorizations) {
    }

    /** A database-connection user; {@code permissions} maps an API identifier to RBAC permissions. */
    record User(String username, String password, String userId, String name, String nickname,
                String email, boolean emailVerified, Map<String, List<String>> permissions) {
    }
}
