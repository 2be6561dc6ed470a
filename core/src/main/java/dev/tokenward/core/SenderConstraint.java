package dev.tokenward.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one endpoint demands of how the token is presented, beyond the issuer's {@link DpopPolicy}:
 * a stolen bearer token works for whoever holds it, a sender-constrained one only with the key or
 * certificate it is bound to. The servlet filter's path rules ({@code dpop}, {@code sender-constrained})
 * and the annotations {@link RequiresDpop @RequiresDpop} and {@link RequiresSenderConstrained @RequiresSenderConstrained}
 * name the same two values; {@link TokenRequest.Builder#senderConstraint} hands one to the validator.
 *
 * <p>Either one only tightens: a request that fails it is refused with 401 {@code invalid_token} and a
 * {@code DPoP} challenge (RFC 9449 section 7.1), whatever the issuer's policy allows elsewhere.
 */
public enum SenderConstraint {
  /**
   * A DPoP-bound token ({@code cnf.jkt}) under the {@code DPoP} scheme with a valid proof (RFC 9449):
   * the endpoint's policy is {@link DpopPolicy#REQUIRED}. Path rule keyword {@code dpop}.
   */
  DPOP,
  /**
   * A sender-constrained token of either kind: DPoP-bound with its proof, or certificate-bound
   * ({@code cnf x5t#S256}, RFC 8705) with the matching TLS client certificate. A plain bearer token is
   * refused. Path rule keyword {@code sender-constrained}.
   */
  DPOP_OR_MTLS;

  /** The stricter of two constraints (null: none): {@link #DPOP} is stricter than {@link #DPOP_OR_MTLS}. */
  static SenderConstraint stricter(SenderConstraint a, SenderConstraint b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a == DPOP || b == DPOP ? DPOP : DPOP_OR_MTLS;
  }

  /**
   * Fails fast where this constraint can never be met by the validator: {@link #DPOP} on a validator
   * with an issuer whose DPoP policy is {@link DpopPolicy#OFF} (the {@code DPoP} scheme is unknown
   * for its tokens, so the endpoint would be closed to them without saying why). {@link #DPOP_OR_MTLS}
   * is always enforceable: certificate-bound tokens need no DPoP.
   *
   * @param where the rule or annotated element that asks for it, for the message
   * @throws IllegalStateException naming {@code where} and the issuers with DPoP off
   */
  public void checkEnforceableBy(AccessTokenValidator validator, String where) {
    Objects.requireNonNull(validator, "validator");
    if (this != DPOP) {
      return;
    }
    List<String> off = new ArrayList<>();
    for (TrustedIssuer issuer : validator.issuers()) {
      if (issuer.dpopPolicy() == DpopPolicy.OFF) {
        off.add(issuer.issuer());
      }
    }
    if (!off.isEmpty()) {
      throw new IllegalStateException(where + " requires DPoP, but DPoP is off for the tokens of "
          + String.join(", ", off) + " (TOKENWARD_DPOP=off / dpop(DpopPolicy.OFF)), so it could never be met: set "
          + "the DPoP policy to allowed, or drop the DPoP requirement");
    }
  }
}
