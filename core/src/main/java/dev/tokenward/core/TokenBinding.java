package dev.tokenward.core;

import java.util.Map;
import java.util.TreeSet;

/**
 * The binding a sender-constrained token carries in its {@code cnf} claim (RFC 7800): a DPoP key
 * thumbprint ({@code jkt}, RFC 9449) or a client-certificate thumbprint ({@code x5t#S256}, RFC 8705).
 * Whoever holds a bound token must also prove the key or certificate; a stolen one is worthless
 * only if a resource server refuses it when that proof is missing.
 *
 * <p>{@link #refuseUnproven} is the one step of validation that refuses a bound token presented as a
 * plain bearer token. A request that has proven the binding (a verified DPoP proof, the TLS client
 * certificate) skips this step and compares the binding itself.
 */
final class TokenBinding {
  private TokenBinding() {}

  /**
   * Refuses a token whose {@code cnf} binds it, since nothing proved the binding on this path; a
   * token without {@code cnf} (or with an empty one) passes.
   */
  static void refuseUnproven(Map<String, Object> claims) throws TokenValidationException {
    Object cnf = claims.get("cnf");
    if (cnf == null) {
      return;
    }
    if (!(cnf instanceof Map<?, ?> confirmation)) {
      throw new TokenValidationException(Reason.MALFORMED, "the token's 'cnf' claim is not a JSON object");
    }
    if (confirmation.isEmpty()) {
      return;
    }
    if (confirmation.containsKey("jkt")) {
      throw new TokenValidationException(Reason.BINDING_NOT_PROVEN, "the token is bound to a DPoP key (cnf.jkt, "
          + "RFC 9449) but was presented as a plain bearer token; send it with the DPoP scheme and a DPoP proof");
    }
    if (confirmation.containsKey("x5t#S256")) {
      throw new TokenValidationException(Reason.BINDING_NOT_PROVEN, "the token is bound to a client certificate "
          + "(cnf x5t#S256, RFC 8705 mTLS) but was presented as a plain bearer token without that certificate "
          + "binding being proven");
    }
    TreeSet<String> members = new TreeSet<>();
    confirmation.keySet().forEach(k -> members.add(Json.shown(String.valueOf(k))));
    throw new TokenValidationException(Reason.BINDING_NOT_PROVEN, "the token is bound by a confirmation method "
        + "this validator cannot prove (cnf " + String.join(", ", members) + "); a bound token is never accepted "
        + "as a plain bearer token");
  }
}
