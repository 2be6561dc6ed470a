package dev.tokenward.core;

import java.util.Locale;

/**
 * What to tell a caller whose token value is not even a token: it still carries the {@code Bearer }
 * scheme, or whitespace read along with it (a trailing newline from a file or an environment
 * variable). Asked only after the alphabet check failed, so it costs the accepted path nothing.
 */
final class RawTokenAdvice {
  private RawTokenAdvice() {}

  /** A description naming what to strip, or null when the value has none of these mistakes. */
  static String of(String value) {
    if (value.length() > 7 && value.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
      return "the value starts with the 'Bearer ' prefix of the Authorization header; pass the token without it";
    }
    if (Character.isWhitespace(value.charAt(0))) {
      return "the value has leading whitespace; strip it before validating";
    }
    if (Character.isWhitespace(value.charAt(value.length() - 1))) {
      return "the value has trailing whitespace or a line break; strip it before validating (a token read from a "
          + "file or an environment variable often ends with a newline)";
    }
    return null;
  }

  /** A MALFORMED failure with the advice if there is one, else with {@code otherwise}. */
  static TokenValidationException malformed(String value, String otherwise) {
    String advice = of(value);
    return new TokenValidationException(Reason.MALFORMED, advice != null ? "the token is malformed: " + advice : otherwise);
  }
}
