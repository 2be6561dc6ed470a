package dev.tokenward.samples.support;

import dev.tokenward.core.TokenKind;
import dev.tokenward.core.VerifiedToken;
import java.util.Collection;
import java.util.Iterator;
import java.util.TreeSet;

/** The JSON bodies of the samples' successful answers, identical in both; {@code application/json}. */
public final class SampleResponses {
  public static final String CONTENT_TYPE = "application/json";
  public static final String PUBLIC_MESSAGE =
      "Hello from a public endpoint! You don't need to be authenticated to see this.";

  private SampleResponses() {}

  /** {@code GET /health}: {@code {"status":"ok"}}. */
  public static String health() {
    return "{\"status\":\"ok\"}";
  }

  /** {@code GET /api/public}: {@code {"message": ...}}. */
  public static String publicMessage() {
    return "{\"message\":" + quote(PUBLIC_MESSAGE) + "}";
  }

  /** The protected endpoints: {@code {"sub","tokenType":"jwt"|"opaque","scopes":[...],"permissions":[...]}}, lists sorted. */
  public static String verified(VerifiedToken token) {
    return "{\"sub\":" + (token.subject() == null ? "null" : quote(token.subject()))
        + ",\"tokenType\":" + quote(token.kind() == TokenKind.JWT ? "jwt" : "opaque")
        + ",\"scopes\":" + array(token.scopes())
        + ",\"permissions\":" + array(token.permissions()) + "}";
  }

  /** The answer for an endpoint that needs no token, or {@code null} for one that does. */
  public static String publicBody(Endpoint endpoint) {
    return switch (endpoint) {
      case HEALTH -> health();
      case PUBLIC -> publicMessage();
      default -> null;
    };
  }

  private static String array(Collection<String> values) {
    StringBuilder b = new StringBuilder("[");
    for (Iterator<String> it = new TreeSet<>(values).iterator(); it.hasNext(); ) {
      b.append(quote(it.next()));
      if (it.hasNext()) {
        b.append(',');
      }
    }
    return b.append(']').toString();
  }

  /** A JSON string literal. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
