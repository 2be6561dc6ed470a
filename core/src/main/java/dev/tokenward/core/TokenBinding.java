package dev.tokenward.core;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The binding a sender-constrained token carries in its {@code cnf} claim (RFC 7800): a DPoP key
 * thumbprint ({@code jkt}, RFC 9449) or a client-certificate thumbprint ({@code x5t#S256}, RFC 8705).
 * Whoever holds a bound token must also prove the key or certificate; a stolen one is worthless
 * only if a resource server refuses it when that proof is missing.
 *
 * <p>{@link #refuseUnproven} is the one step of {@link AccessTokenValidator#validate(String)} that
 * refuses a bound token presented as a plain bearer token: that path sees no proof. The
 * request-level path ({@link AccessTokenValidator#validate(TokenRequest)}) skips it and checks the
 * proof against the binding instead; both refuse a confirmation method no path can prove.
 */
final class TokenBinding {
  private static final Set<String> PROVABLE = Set.of("jkt", "x5t#S256");

  private TokenBinding() {}

  /**
   * Refuses a token whose {@code cnf} binds it, or an opaque token the issuer calls a DPoP token,
   * since nothing proved the binding on this path; a token without {@code cnf} (or an empty one) passes.
   */
  static void refuseUnproven(VerifiedToken token) throws TokenValidationException {
    Map<String, Object> claims = token.claims();
    Map<?, ?> cnf = confirmation(claims);
    if (cnf == null || cnf.isEmpty()) {
      if (token.kind() == TokenKind.OPAQUE && claims.get("token_type") instanceof String type
          && type.equalsIgnoreCase("DPoP")) {
        throw new TokenValidationException(Reason.DPOP_TOKEN_AS_BEARER, "the issuer says this is a DPoP token "
            + "(token_type DPoP) but it was presented as a plain bearer token; send it with the DPoP scheme and a DPoP proof");
      }
      return;
    }
    if (cnf.containsKey("jkt")) {
      throw new TokenValidationException(Reason.DPOP_TOKEN_AS_BEARER, "the token is bound to a DPoP key (cnf jkt, "
          + "RFC 9449) but was presented as a plain bearer token; send it with the DPoP scheme and a DPoP proof");
    }
    if (cnf.containsKey("x5t#S256")) {
      throw new TokenValidationException(Reason.CERTIFICATE_MISMATCH, "the token is bound to a client certificate "
          + "(cnf x5t#S256, RFC 8705 mTLS) but was presented as a plain bearer token, with no certificate to prove "
          + "the binding");
    }
    refuseUnprovable(token);
  }

  /** Refuses a {@code cnf} with a confirmation method tokenward cannot prove on any path (RFC 7800 jwk, jwe, kid, jku...). */
  static void refuseUnprovable(VerifiedToken token) throws TokenValidationException {
    Map<?, ?> cnf = confirmation(token.claims());
    if (cnf == null || PROVABLE.containsAll(cnf.keySet())) {
      return;
    }
    TreeSet<String> members = new TreeSet<>();
    cnf.keySet().forEach(k -> {
      if (!PROVABLE.contains(k)) {
        members.add(Json.shown(String.valueOf(k)));
      }
    });
    throw new TokenValidationException(Reason.BINDING_NOT_PROVEN, "the token is bound by a confirmation method "
        + "this validator cannot prove (cnf " + String.join(", ", members) + "); a token bound that way is never "
        + "accepted");
  }

  private static Map<?, ?> confirmation(Map<String, Object> claims) throws TokenValidationException {
    Object cnf = claims.get("cnf");
    if (cnf == null) {
      return null;
    }
    if (!(cnf instanceof Map<?, ?> map)) {
      throw new TokenValidationException(Reason.MALFORMED, "the token's 'cnf' claim is not a JSON object");
    }
    return map;
  }
}
