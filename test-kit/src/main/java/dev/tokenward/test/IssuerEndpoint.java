package dev.tokenward.test;

/**
 * The endpoints of a {@link TestIssuer} that a test can take down, slow down and count
 * ({@link TestIssuer#takeDown}, {@link TestIssuer#delay}, {@link TestIssuer#requestCount}).
 * Each constant knows its path below the issuer URL.
 */
public enum IssuerEndpoint {
    /** {@code GET /.well-known/openid-configuration} */
    DISCOVERY("/.well-known/openid-configuration"),
    /** {@code GET /.well-known/jwks.json} */
    JWKS("/.well-known/jwks.json"),
    /** {@code POST /oauth/token} */
    TOKEN("/oauth/token"),
    /** {@code GET /userinfo} */
    USERINFO("/userinfo"),
    /** {@code POST /oauth/introspect} (RFC 7662) */
    INTROSPECTION("/oauth/introspect"),
    /** {@code POST /oauth/revoke} (RFC 7009) */
    REVOCATION("/oauth/revoke");

    private final String path;

    IssuerEndpoint(String path) {
        this.path = path;
    }

    /** The absolute path on the issuer's server, for example {@code /.well-known/jwks.json}. */
    public String path() {
        return path;
    }

    static IssuerEndpoint ofPath(String path) {
        for (IssuerEndpoint e : values()) {
            if (e.path.equals(path)) {
                return e;
            }
        }
        return null;
    }
}
