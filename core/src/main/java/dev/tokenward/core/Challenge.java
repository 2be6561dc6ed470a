package dev.tokenward.core;

/**
 * Which {@code WWW-Authenticate} challenges a refusal carries (RFC 6750 {@code Bearer}, RFC 9449
 * section 7.1 {@code DPoP} with its {@code algs}) and the fresh {@code DPoP-Nonce} to send, decided
 * by the validator from the request and its policy; {@link BearerErrorResponse} writes them.
 *
 * @param bearer a {@code Bearer} challenge
 * @param dpop a {@code DPoP} challenge
 * @param algs the space-separated proof algorithms for the DPoP challenge's {@code algs}
 * @param nonce a fresh server nonce for {@code DPoP-Nonce}, or null
 */
record Challenge(boolean bearer, boolean dpop, String algs, String nonce) {
  /** The RFC 6750 answer alone, for requests the DPoP machinery never saw. */
  static final Challenge BEARER = new Challenge(true, false, null, null);
}
