package dev.tokenward.samples.support;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.IssuerHealth;
import dev.tokenward.core.TokenKind;
import dev.tokenward.core.VerifiedToken;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jose.util.JSONStringUtils;
import java.util.ArrayList;
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

  /** The readiness probe's path: 200 once every issuer's keys are loaded, 503 while one has none. */
  public static final String READY_PATH = "/health/ready";

  /**
   * {@code GET /health} and {@code GET /health/ready}: the issuers' key sources,
   * {@code {"status": "UP"|"DEGRADED"|"DOWN", "issuers": [{"issuer","status","keys","lastFetch","lastError"}]}},
   * the overall status being the worst issuer's. {@code lastFetch} is an ISO-8601 instant and
   * {@code lastError} names the URL that failed; both are {@code null} when there is none.
   */
  public static String health(AccessTokenValidator validator) {
    return health(validator.health());
  }

  /**
   * {@code GET /health/ready}: 200 when no issuer is {@link IssuerHealth.Status#DOWN} (its keys are
   * loaded and usable), else 503; the body is {@link #health}'s, read from the same snapshot.
   */
  public record Readiness(int status, String body) {}

  /** The readiness answer from one reading of {@code validator.health()}. */
  public static Readiness readiness(AccessTokenValidator validator) {
    List<IssuerHealth> issuers = validator.health();
    boolean ready = issuers.stream().noneMatch(h -> h.status() == IssuerHealth.Status.DOWN);
    return new Readiness(ready ? 200 : 503, health(issuers));
  }

  private static String health(List<IssuerHealth> issuers) {
    List<Object> list = new ArrayList<>();
    IssuerHealth.Status worst = IssuerHealth.Status.UP;
    for (IssuerHealth h : issuers) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("issuer", h.issuer());
      one.put("status", h.status().name());
      one.put("keys", h.keys());
      one.put("lastFetch", h.lastFetch().map(Object::toString).orElse(null));
      one.put("lastError", h.lastError().orElse(null));
      list.add(one);
      worst = h.status().compareTo(worst) > 0 ? h.status() : worst;
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", worst.name());
    body.put("issuers", list);
    return JSONObjectUtils.toJSONString(body);
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
  public static String publicBody(Endpoint endpoint, AccessTokenValidator validator) {
    return switch (endpoint) {
      case HEALTH -> health(validator);
      case PUBLIC -> publicMessage();
      default -> null;
    };
  }

  /** A JSON string literal. */
  static String quote(String s) {
    return JSONStringUtils.toJSONString(s);
  }
}
