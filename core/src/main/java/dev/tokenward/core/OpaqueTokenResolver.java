package dev.tokenward.core;

import java.net.URI;
import java.util.Optional;

/**
 * Chooses, per request, which trusted issuer may be asked about an opaque token. An opaque token
 * names no issuer, so with several issuers accepting opaque tokens any fixed choice would send one
 * issuer's tokens to another (a partner's {@code /userinfo} would see our users' tokens); the
 * application knows which issuer serves which host or path, as with Spring Security's
 * {@code OpaqueTokenAuthenticationManagerResolver}.
 *
 * <pre>{@code
 * .opaqueTokenResolver(request -> request != null && request.getHost().equals("partner-api.example.com")
 *     ? Optional.of("https://partner.auth0.com/") : Optional.of("https://ours.auth0.com/"))
 * }</pre>
 *
 * <p>Required when more than one issuer's opaque-token policy is not {@code REJECT}; the filters
 * pass the request URL, {@link AccessTokenValidator#validate(String)} passes none.
 */
@FunctionalInterface
public interface OpaqueTokenResolver {
  /**
   * The issuer to ask about an opaque token that arrived with this request.
   *
   * @param requestUri the full URL of the request (scheme, host, path, query), or null when the
   *     caller gave none
   * @return the exact issuer, as configured, of an issuer that accepts opaque tokens; empty to
   *     refuse the token as {@link Reason#OPAQUE_REJECTED} without asking anyone
   */
  Optional<String> issuerFor(URI requestUri);
}
