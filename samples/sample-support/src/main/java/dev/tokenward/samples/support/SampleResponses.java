package dev.tokenward.samples.support;

import dev.tokenward.core.TokenKind;
import dev.tokenward.core.VerifiedToken;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.JSONStringUtils;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    return JSONObjectUtils.toJSONString(Map.of("message", PUBLIC_MESSAGE));
  }

  /** The protected endpoints: {@code {"sub","tokenType":"jwt"|"opaque","scopes":[...],"permissions":[...]}}, lists sorted. */
  public static String verified(VerifiedToken token) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("sub", token.subject());
    body.put("tokenType", token.kind() == TokenKind.JWT ? "jwt" : "opaque");
    body.put("scopes", List.copyOf(new TreeSet<>(token.scopes())));
    body.put("permissions", List.copyOf(new TreeSet<>(token.permissions())));
    return JSONObjectUtils.toJSONString(body);
  }

  /** The answer for an endpoint that needs no token, or {@code null} for one that does. */
  public static String publicBody(Endpoint endpoint) {
    return switch (endpoint) {
      case HEALTH -> health();
      case PUBLIC -> publicMessage();
      default -> null;
    };
  }

  /** A JSON string literal. */
  static String quote(String s) {
    return JSONStringUtils.toJSONString(s);
  }
}
