package dev.tokenward.core;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The single failure type of tokenward: a {@link Reason} to switch on and a description that says
 * which check failed and, for the well-known traps, what to do about it.
 *
 * <p>The description never contains the token or a secret, so it is safe to log and to send back
 * in the RFC 6750 {@code error_description}. It is checked because a caller that forgets to handle
 * a refused token has a security bug; the stack trace is not filled in for token failures, which
 * an attacker can trigger at will.
 */
public final class TokenValidationException extends Exception {
  private static final long serialVersionUID = 1L;

  private final Reason reason;
  private final String requiredScope;
  private final Duration retryAfter;
  private final String acrValues; // RFC 9470, for INSUFFICIENT_USER_AUTHENTICATION
  private final Long maxAgeSeconds; // RFC 9470, for INSUFFICIENT_USER_AUTHENTICATION
  private transient Challenge challenge; // set once by the validator for a request-level refusal
  private transient String issuer; // the configured issuer whose rules refused the token; null when none is known

  /** A failure with the given reason and a description of which check failed. */
  public TokenValidationException(Reason reason, String description) {
    this(reason, description, null, null, null);
  }

  TokenValidationException(Reason reason, String description, String requiredScope,
      Duration retryAfter, Throwable cause) {
    this(reason, description, requiredScope, retryAfter, cause, null, null);
  }

  private TokenValidationException(Reason reason, String description, String requiredScope,
      Duration retryAfter, Throwable cause, String acrValues, Long maxAgeSeconds) {
    super(Objects.requireNonNull(description, "description"), cause, false, cause != null);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.requiredScope = requiredScope;
    this.retryAfter = retryAfter;
    this.acrValues = acrValues;
    this.maxAgeSeconds = maxAgeSeconds;
  }

  static TokenValidationException insufficientScope(String description, String requiredScope) {
    return new TokenValidationException(Reason.INSUFFICIENT_SCOPE, description, requiredScope, null, null);
  }

  static TokenValidationException insufficientUserAuthentication(String description, String acrValues,
      Long maxAgeSeconds) {
    return new TokenValidationException(Reason.INSUFFICIENT_USER_AUTHENTICATION, description, null, null, null,
        acrValues, maxAgeSeconds);
  }

  static TokenValidationException unavailable(String description, Duration retryAfter, Throwable cause) {
    return new TokenValidationException(Reason.ISSUER_UNAVAILABLE, description, null, retryAfter, cause);
  }

  /**
   * Names the configured issuer whose rules refused the token, for the listener's issuer tag; the
   * first attribution stands. Never a token's own {@code iss}: only a configured issuer's name.
   */
  TokenValidationException attributeTo(String configuredIssuer) {
    if (issuer == null) {
      issuer = configuredIssuer;
    }
    return this;
  }

  /** The configured issuer the refusal is attributed to, or null when no configured issuer is known. */
  String attributedIssuer() {
    return issuer;
  }

  /** Attaches the challenges for the request that was refused; returns this exception. */
  TokenValidationException challenge(Challenge c) {
    this.challenge = c;
    return this;
  }

  /** The challenges to answer with; {@link Challenge#BEARER} unless the validator decided otherwise. */
  Challenge challenge() {
    return challenge == null ? Challenge.BEARER : challenge;
  }

  /**
   * A fresh DPoP server nonce for the {@code DPoP-Nonce} header (RFC 9449 section 8), when the
   * refused request used DPoP and nonces are on; always present for {@link Reason#DPOP_NONCE_REQUIRED}.
   */
  public Optional<String> dpopNonce() {
    return Optional.ofNullable(challenge == null ? null : challenge.nonce());
  }

  /** Machine-readable reason; stable across releases. */
  public Reason reason() {
    return reason;
  }

  /** Which check failed, in words fit for a log line or an {@code error_description}. */
  public String description() {
    return getMessage();
  }

  /** The RFC 6750 {@code error} code, or {@code null} when the request had no token at all. */
  public String errorCode() {
    return reason.errorCode();
  }

  /** The HTTP status a resource server answers with. */
  public int httpStatus() {
    return reason.httpStatus();
  }

  /** For {@link Reason#INSUFFICIENT_SCOPE}: the space-separated scope value for the {@code scope} attribute. */
  public Optional<String> requiredScope() {
    return Optional.ofNullable(requiredScope);
  }

  /** For {@link Reason#INSUFFICIENT_USER_AUTHENTICATION}: the space-separated {@code acr_values} of the challenge (RFC 9470). */
  public Optional<String> acrValues() {
    return Optional.ofNullable(acrValues);
  }

  /** For {@link Reason#INSUFFICIENT_USER_AUTHENTICATION}: the {@code max_age} of the challenge in seconds (RFC 9470). */
  public Optional<Long> maxAge() {
    return Optional.ofNullable(maxAgeSeconds);
  }

  /** For {@link Reason#ISSUER_UNAVAILABLE}: how long a client should wait before retrying. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public String toString() {
    return "TokenValidationException{" + reason + ": " + getMessage() + "}";
  }
}
