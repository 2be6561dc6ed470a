package dev.tokenward.core;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The way of a token that is not a JWS: which issuer, if any, may be asked about it, then the
 * issuer's answer and the checks that answer must pass. An opaque token names no issuer, so it is
 * sent to the one issuer that accepts opaque tokens, or to the one the application's
 * {@link OpaqueTokenResolver} picks for the request, never to the first that happens to accept them.
 */
final class OpaquePath {
  private final List<IssuerState> issuers;
  private final List<IssuerState> accepting; // issuers whose policy is not REJECT, in configured order
  private final OpaqueTokenResolver resolver; // null: at most one issuer accepts opaque tokens
  private final List<ClaimCheck> claimChecks;

  OpaquePath(List<IssuerState> issuers, OpaqueTokenResolver resolver, List<ClaimCheck> claimChecks) {
    this.issuers = issuers;
    List<IssuerState> a = new ArrayList<>();
    issuers.forEach(s -> {
      if (s.config.opaqueTokens != OpaqueTokenPolicy.REJECT) {
        a.add(s);
      }
    });
    this.accepting = List.copyOf(a);
    this.resolver = resolver;
    this.claimChecks = claimChecks;
  }

  /** The builder's check: several issuers accepting opaque tokens need a resolver; a resolver needs one such issuer. */
  static void checkConfiguration(List<TrustedIssuer> all, OpaqueTokenResolver resolver) {
    List<String> accepting = new ArrayList<>();
    all.forEach(t -> {
      if (t.opaqueTokens != OpaqueTokenPolicy.REJECT) {
        accepting.add(t.issuer);
      }
    });
    if (accepting.size() > 1 && resolver == null) {
      throw new IllegalStateException("opaqueTokens: " + String.join(" and ", accepting) + " all accept opaque "
          + "tokens, which name no issuer, so one issuer's tokens would be sent to another; set "
          + "opaqueTokenResolver(...) to choose the issuer per request, or REJECT opaque tokens for all but one");
    }
    if (accepting.isEmpty() && resolver != null) {
      throw new IllegalStateException("opaqueTokenResolver: set, but no issuer accepts opaque tokens (every "
          + "opaqueTokens policy is REJECT)");
    }
  }

  /** @param requestUri the request's URL, or null if unknown; read only if the resolver needs it */
  VerifiedToken validate(String token, int segments, Supplier<URI> requestUri) throws TokenValidationException {
    if (!BearerTokenExtractor.isB64Token(token)) {
      // validate(String) is public, so the value may not have come through BearerTokenExtractor; it
      // must never reach the issuer (a CR/LF in the userinfo Authorization header, a non-ASCII char)
      throw RawTokenAdvice.malformed(token,
          "the token has a character outside the RFC 6750 b64token alphabet, so it cannot be a bearer token");
    }
    if (accepting.isEmpty()) {
      String what = segments == 5 ? "an encrypted JWE (5 segments)" : "not a JWT (" + segments + " segment"
          + (segments == 1 ? "" : "s") + ")";
      String audience = issuers.get(0).config.audiences.iterator().next();
      throw new TokenValidationException(Reason.OPAQUE_REJECTED, "the token is " + what
          + " and opaque tokens are rejected. Auth0 issues opaque access tokens, good only for /userinfo, when the "
          + "client omits the audience parameter: request the token with audience=" + audience);
    }
    IssuerState s = resolver == null ? accepting.get(0) : resolve(requestUri == null ? null : requestUri.get());
    try {
      VerifiedToken verified = s.online.check(token, s.config.opaqueTokens);
      for (ClaimCheck check : claimChecks) {
        check.check(verified);
      }
      return verified;
    } catch (TokenValidationException e) {
      throw e.attributeTo(s.config.issuer); // the issuer asked about the token is known, whatever it answered
    }
  }

  private IssuerState resolve(URI requestUri) throws TokenValidationException {
    Optional<String> chosen = resolver.issuerFor(requestUri);
    if (chosen == null || chosen.isEmpty()) {
      throw new TokenValidationException(Reason.OPAQUE_REJECTED, "the token is opaque and the opaque-token resolver "
          + "chose no issuer for this request" + (requestUri == null ? " (no request URL was given)" : ""));
    }
    for (IssuerState s : accepting) {
      if (s.config.issuer.equals(chosen.get())) {
        return s;
      }
    }
    throw new TokenValidationException(Reason.OPAQUE_REJECTED, "the opaque-token resolver chose "
        + Json.shown(chosen.get()) + ", which is not a configured issuer that accepts opaque tokens");
  }
}
