package dev.tokenward.servlet;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.OpaqueTokenPolicy;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Reads a {@link BearerTokenFilter}'s configuration from its init-parameters ({@code web.xml} or {@code FilterConfig}). */
final class InitParams {
  static final String RULE_PREFIX = "rule.";
  static final Set<String> NAMES = Set.of("issuer", "audience", "algorithms", "jwks-uri", "hmac-secret",
      "clock-skew-seconds", "opaque-tokens", "userinfo-uri", "introspection-uri", "client-id", "client-secret",
      "allow-http", "realm", "allow-query-token", "allow-form-token");

  /** The init-parameter named by each setting name that core's messages start with. */
  private static final Map<String, String> CORE_SETTINGS = Map.of("issuer", "issuer", "audience", "audience",
      "algorithms", "algorithms", "hmacSecret", "hmac-secret", "opaqueTokens", "opaque-tokens",
      "clockSkew", "clock-skew-seconds", "jwksUri", "jwks-uri", "userinfoUri", "userinfo-uri");

  private final Map<String, String> values = new LinkedHashMap<>();

  private InitParams(FilterConfig config) {
    for (String name : Collections.list(config.getInitParameterNames())) {
      values.put(name, config.getInitParameter(name));
    }
  }

  static boolean present(FilterConfig config) {
    return config.getInitParameterNames().hasMoreElements();
  }

  /** The filter configured by the init-parameters; a ServletException naming the parameter if one is wrong. */
  static BearerTokenFilter.Builder read(FilterConfig config) throws ServletException {
    return new InitParams(config).builder();
  }

  private BearerTokenFilter.Builder builder() throws ServletException {
    for (String name : values.keySet()) {
      if (!NAMES.contains(name) && !name.startsWith(RULE_PREFIX)) {
        throw fail(name, "unknown parameter; known: " + new java.util.TreeSet<>(NAMES) + " and rule.PATH-PATTERN");
      }
    }
    AccessTokenValidator.Builder v = AccessTokenValidator.builder();
    set("issuer", () -> v.issuer(required("issuer")));
    set("audience", () -> v.audience(list(required("audience"))));
    optional("algorithms", s -> v.algorithms(list(s)));
    optional("jwks-uri", v::jwksUri);
    optional("hmac-secret", s -> v.hmacSecret(s.getBytes(StandardCharsets.UTF_8)));
    optional("clock-skew-seconds", s -> v.clockSkew(Duration.ofSeconds(number(s))));
    optional("opaque-tokens", s -> v.opaqueTokens(OpaqueTokenPolicy.valueOf(oneOf(s, "reject", "userinfo", "introspect"))));
    optional("userinfo-uri", v::userinfoUri);
    optional("allow-http", s -> v.allowHttp(bool(s)));
    String clientId = values.get("client-id");
    String clientSecret = values.get("client-secret");
    if (clientId != null || clientSecret != null || values.containsKey("introspection-uri")
        || "introspect".equalsIgnoreCase(String.valueOf(values.get("opaque-tokens")).trim())) {
      String missing = blank(clientId) ? "client-id" : blank(clientSecret) ? "client-secret" : null;
      if (missing != null) {
        throw fail(missing, "required for introspection (opaque-tokens=introspect, introspection-uri or the other "
            + "client credential is set)");
      }
      set("introspection-uri", () -> v.introspection(values.get("introspection-uri"), clientId, clientSecret));
    }

    AccessTokenValidator validator;
    try {
      validator = v.build();
    } catch (RuntimeException e) {
      String param = paramOf(e.getMessage());
      throw fail(param, param == null ? e.getMessage() : withoutSetting(e.getMessage()));
    }
    BearerTokenFilter.Builder b = BearerTokenFilter.builder(validator);
    optional("realm", b::realm);
    optional("allow-query-token", s -> b.allowQueryToken(bool(s)));
    optional("allow-form-token", s -> b.allowFormToken(bool(s)));
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (e.getKey().startsWith(RULE_PREFIX)) {
        set(e.getKey(), () -> b.rule(PathRule.parseText(e.getKey().substring(RULE_PREFIX.length()), e.getValue())));
      }
    }
    return b;
  }

  private interface Setter {
    void run();
  }

  private interface ValueSetter {
    void accept(String value);
  }

  private void set(String name, Setter setter) throws ServletException {
    try {
      setter.run();
    } catch (RuntimeException e) {
      throw fail(name, withoutSetting(e.getMessage()));
    }
  }

  /** Core's message without its leading {@code setting: }, which the init-parameter name replaces. */
  private static String withoutSetting(String message) {
    int colon = message == null ? -1 : message.indexOf(": ");
    return colon > 0 && CORE_SETTINGS.containsKey(message.substring(0, colon)) ? message.substring(colon + 2) : message;
  }

  private void optional(String name, ValueSetter setter) throws ServletException {
    String value = values.get(name);
    if (value != null) {
      set(name, () -> setter.accept(value.trim()));
    }
  }

  private String required(String name) {
    String value = values.get(name);
    if (blank(value)) {
      throw new IllegalArgumentException("required");
    }
    return value.trim();
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  private static String[] list(String s) {
    List<String> out = new ArrayList<>();
    for (String part : s.split(",")) {
      if (!part.isBlank()) {
        out.add(part.trim());
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("give at least one value (comma-separated)");
    }
    return out.toArray(new String[0]);
  }

  private static long number(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + s + "' is not a whole number");
    }
  }

  private static boolean bool(String s) {
    return Boolean.parseBoolean(oneOf(s, "true", "false"));
  }

  private static String oneOf(String s, String... allowed) {
    for (String a : allowed) {
      if (a.equalsIgnoreCase(s.trim())) {
        return a.toUpperCase(Locale.ROOT);
      }
    }
    throw new IllegalArgumentException("'" + s + "' is not one of " + String.join(", ", allowed));
  }

  /** The init-parameter a message of core's builder is about (its start names the setting or the endpoint), or null. */
  private String paramOf(String message) {
    String setting = message == null || message.indexOf(':') < 0 ? "" : message.substring(0, message.indexOf(':'));
    if (CORE_SETTINGS.containsKey(setting)) {
      return CORE_SETTINGS.get(setting);
    }
    for (String uriParam : List.of("jwks-uri", "userinfo-uri", "introspection-uri")) {
      String value = values.get(uriParam);
      if (value != null && message.startsWith("endpoint " + value.trim() + ":")) {
        return uriParam;
      }
    }
    return null;
  }

  private static ServletException fail(String name, String detail) {
    return new ServletException(name == null ? "tokenward init-params: " + detail
        : "tokenward init-param '" + name + "': " + detail);
  }
}
