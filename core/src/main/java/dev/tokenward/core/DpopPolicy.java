package dev.tokenward.core;

import java.util.Locale;

/**
 * Whether an issuer's (or one endpoint's) tokens may or must come with a DPoP proof (RFC 9449).
 * Set per issuer on {@link TrustedIssuer.Builder#dpop}, overridden per endpoint on
 * {@link TokenRequest.Builder#dpopPolicy}.
 *
 * <p>Whatever the policy, a DPoP-bound token (one whose {@code cnf} has {@code jkt}) presented under
 * {@code Bearer} is refused: the binding was not proven, so it could be a stolen token.
 */
public enum DpopPolicy {
  /** The {@code DPoP} scheme is unknown here: such a request is treated as carrying no credentials. */
  OFF,
  /** Both schemes are accepted: bearer tokens under {@code Bearer}, DPoP-bound tokens with a proof under {@code DPoP}. The default. */
  ALLOWED,
  /** Only DPoP-bound tokens with a valid proof are accepted; a token under {@code Bearer} is refused. */
  REQUIRED;

  /** Parses {@code off}, {@code allowed} or {@code required}, in any case; anything else is an error naming the value. */
  public static DpopPolicy parse(String value) {
    if (value != null) {
      switch (value.trim().toLowerCase(Locale.ROOT)) {
        case "off":
          return OFF;
        case "allowed":
          return ALLOWED;
        case "required":
          return REQUIRED;
        default:
          break;
      }
    }
    throw new IllegalArgumentException("dpop: must be off, allowed or required, got '" + value + "'");
  }
}
