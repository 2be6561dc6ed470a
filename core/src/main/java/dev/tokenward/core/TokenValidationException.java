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
  private transient Challenge challenge; // set once by the validator for a request-level refusal

  /** A failure with the given reason and a description of which check failed. */
  public TokenValidationException(Reason reason, String description) {
    this(reason, description, null, null, null);
  }

  TokenValidationException(Reason reason, String description, String requiredScope,
      Duration retryAfter, Throwable cause) {
    super(Objects.requireNonNull(description, "description"), cause, false, cause != null);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.requiredScope = requiredScope;
    this.retryAfter = retryAfter;
  }

  static TokenValidationException insufficientScope(String description, String requiredScope) {
    return new TokenValidationException(Reason.INSUFFICIENT_SCOPE, description, requiredScope, null, null);
  }

  static TokenValidationException unavailable(String description, Duration retryAfter, Throwable cause) {
    return new TokenValidationException(Reason.ISSUER_UNAVAILABLE, description, null, retryAfter, cause);
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

  /** For {@link Reason#ISSUER_UNAVAILABLE}: how long a client should wait before retrying. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  @Override
  public String toString() {
    return "TokenValidationException{" + reason + ": " + getMessage() + "}";
  }
}
