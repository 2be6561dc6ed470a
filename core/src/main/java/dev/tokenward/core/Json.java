package dev.tokenward.core;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** JSON helpers: bounded parsing, deep freezing of claim maps, and quoting for answers and descriptions. */
final class Json {
  private Json() {}

  /** Parses a JSON object; Nimbus's parser caps nesting depth and refuses duplicate members. */
  static Map<String, Object> parseObject(String json, int maxLength) throws ParseException {
    if (json.length() > maxLength) {
      throw new ParseException("JSON document longer than " + maxLength + " characters", 0);
    }
    if (!startsAsObject(json)) {
      // the parser would also read an array of [name, value] pairs ('[["alg","RS256"]]', or '[]') as an object
      throw new ParseException("not a JSON object", 0);
    }
    Map<String, Object> parsed;
    try {
      parsed = JSONObjectUtils.parse(json, maxLength);
    } catch (RuntimeException | StackOverflowError e) {
      // defensive: the parser should only throw ParseException, but input here is hostile
      throw new ParseException("invalid JSON: " + e.getClass().getSimpleName(), 0);
    }
    if (parsed == null) {
      // the parser answers the JSON literal null (and nothing else) with null instead of an error
      throw new ParseException("JSON null, not an object", 0);
    }
    return parsed;
  }

  /** True if the first character after JSON whitespace opens an object. */
  private static boolean startsAsObject(String json) {
    for (int i = 0, n = json.length(); i < n; i++) {
      char c = json.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return c == '{';
      }
    }
    return false;
  }

  /** An unmodifiable deep copy: maps and lists are frozen so cached tokens cannot be mutated by a caller. */
  static Map<String, Object> freeze(Map<String, Object> map) {
    if (map == null || map.isEmpty()) {
      return Map.of();
    }
    Map<String, Object> out = new LinkedHashMap<>(map.size() * 2);
    for (Map.Entry<String, Object> e : map.entrySet()) {
      out.put(e.getKey(), freezeValue(e.getValue()));
    }
    return Collections.unmodifiableMap(out);
  }

  @SuppressWarnings("unchecked")
  private static Object freezeValue(Object v) {
    if (v instanceof Map<?, ?> m) {
      return freeze((Map<String, Object>) m);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>(l.size());
      for (Object o : l) {
        out.add(freezeValue(o));
      }
      return Collections.unmodifiableList(out);
    }
    return v;
  }

  /** A JSON string literal for {@code s}, escaping quotes, backslashes and control characters. */
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
          if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  /**
   * A value taken from a token (an {@code iss}, a {@code kid}) made safe to put in a description:
   * printable ASCII only, no quotes or backslashes, and at most 80 characters.
   */
  static String shown(Object value) {
    if (value == null) {
      return "(none)";
    }
    String s = String.valueOf(value);
    int max = 80;
    StringBuilder b = new StringBuilder(Math.min(s.length(), max) + 3);
    for (int i = 0; i < s.length() && b.length() < max; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
    }
    if (s.length() > max) {
      b.append("...");
    }
    return "'" + b + "'";
  }
}
