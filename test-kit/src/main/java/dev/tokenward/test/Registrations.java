package dev.tokenward.test;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Immutable tenant configuration as the token service sees it. */
final class Registrations {

    private Registrations() {
    }

    /**
     * Refuses a tenant whose parts do not fit together: a client granted scopes its API does not
     * define, a client authorized for an unregistered API, a user with permissions for one.
     *
     * @throws IllegalArgumentException naming the client or user and the API
     */
    static void check(Map<String, Api> apis, Map<String, Client> clients, Map<String, User> users) {
        for (Api api : apis.values()) {
            for (Client c : clients.values()) {
                List<String> granted = c.authorizations().get(api.identifier());
                if (granted != null && !api.scopes().containsAll(granted)) {
                    throw new IllegalArgumentException("client " + c.clientId() + " granted scopes not defined by "
                            + api.identifier());
                }
            }
        }
        for (Client c : clients.values()) {
            for (String aud : c.authorizations().keySet()) {
                if (!apis.containsKey(aud)) {
                    throw new IllegalArgumentException("client " + c.clientId() + " is authorized for unknown API " + aud);
                }
            }
        }
        for (User u : users.values()) {
            for (String aud : u.permissions().keySet()) {
                if (!apis.containsKey(aud)) {
                    throw new IllegalArgumentException("user " + u.username() + " has permissions for unknown API " + aud);
                }
            }
        }
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
