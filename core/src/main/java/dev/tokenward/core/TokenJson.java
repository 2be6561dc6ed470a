package dev.tokenward.core;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON of a JWT's header and claims, read strictly (RFC 8259) from the decoded bytes into
 * deeply unmodifiable maps and lists, so the claims need no second, defensive copy.
 *
 * <p>Why not the parser nimbus ships (still used for issuer documents): on this path it allocated
 * about 5 KB per token (a reader with a 2 KB buffer, a type token, a mutable tree then copied) and
 * read leniently (single quotes, unquoted names, comments). Here the grammar is strict, so a token
 * cannot mean one thing to tokenward and another to a stricter parser: top level an object, no
 * duplicate top-level member (the ones the rules read; inside a nested object the last one wins),
 * nesting at most {@value #MAX_DEPTH} deep (no stack overflow), numbers as {@link Long} when
 * integral and in range, else {@link Double} (never infinite), invalid UTF-8 replaced by U+FFFD.
 */
final class TokenJson {
  static final int MAX_DEPTH = 255;

  /** Claim and header names read on every token, answered without allocating a new string. */
  private static final String[] COMMON_NAMES = {"alg", "kid", "typ", "iss", "sub", "aud", "exp", "nbf", "iat",
      "jti", "azp", "scope", "scp", "permissions", "client_id", "gty", "org_id", "cnf", "auth_time", "sid"};

  private final byte[] in;
  private final int end;
  private int pos;

  private TokenJson(byte[] in) {
    this.in = in;
    this.end = in.length;
  }

  /** Parses a complete JSON object; anything else (an array, trailing data) is a {@link ParseException}. */
  static Map<String, Object> parseObject(byte[] utf8) throws ParseException {
    TokenJson p = new TokenJson(utf8);
    p.skipWhitespace();
    if (p.pos >= p.end || p.in[p.pos] != '{') {
      throw p.error("not a JSON object");
    }
    Map<String, Object> object = p.object(0, true);
    p.skipWhitespace();
    if (p.pos != p.end) {
      throw p.error("data after the JSON object");
    }
    return object;
  }

  private Map<String, Object> object(int depth, boolean topLevel) throws ParseException {
    if (depth >= MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH);
    }
    pos++; // '{'
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return Map.of();
    }
    Map<String, Object> map = new LinkedHashMap<>();
    while (true) {
      if (peek() != '"') {
        throw error("expected a member name");
      }
      String name = string(true);
      skipWhitespace();
      if (peek() != ':') {
        throw error("expected ':'");
      }
      pos++;
      skipWhitespace();
      Object value = value(depth + 1);
      if (topLevel && map.containsKey(name)) {
        throw error("duplicate member " + Json.shown(name));
      }
      map.put(name, value);
      skipWhitespace();
      int c = peek();
      pos++;
      if (c == '}') {
        return Collections.unmodifiableMap(map);
      }
      if (c != ',') {
        throw error("expected ',' or '}'");
      }
      skipWhitespace();
    }
  }

  private List<Object> array(int depth) throws ParseException {
    if (depth >= MAX_DEPTH) {
      throw error("nested deeper than " + MAX_DEPTH);
    }
    pos++; // '['
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return List.of();
    }
    List<Object> list = new ArrayList<>(4);
    while (true) {
      list.add(value(depth + 1));
      skipWhitespace();
      int c = peek();
      pos++;
      if (c == ']') {
        return Collections.unmodifiableList(list);
      }
      if (c != ',') {
        throw error("expected ',' or ']'");
      }
      skipWhitespace();
    }
  }

  private Object value(int depth) throws ParseException {
    int c = peek();
    switch (c) {
      case '{':
        return object(depth, false);
      case '[':
        return array(depth);
      case '"':
        return string(false);
      case 't':
        literal("true");
        return Boolean.TRUE;
      case 'f':
        literal("false");
        return Boolean.FALSE;
      case 'n':
        literal("null");
        return null;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error(c < 0 ? "unexpected end" : "unexpected character");
    }
  }

  private String string(boolean name) throws ParseException {
    int start = ++pos; // after '"'
    boolean ascii = true;
    while (pos < end) {
      int b = in[pos] & 0xff;
      if (b == '"') {
        int length = pos++ - start;
        if (!ascii) {
          return new String(in, start, length, StandardCharsets.UTF_8);
        }
        String known = name ? commonName(start, length) : null;
        return known != null ? known : new String(in, start, length, StandardCharsets.ISO_8859_1);
      }
      if (b == '\\') {
        return escaped(start);
      }
      if (b < 0x20) {
        throw error("control character in a string");
      }
      if (b >= 0x80) {
        ascii = false;
      }
      pos++;
    }
    throw error("unterminated string");
  }

  /** The rare string with escapes: raw runs decoded as UTF-8, escapes appended one by one. */
  private String escaped(int start) throws ParseException {
    StringBuilder out = new StringBuilder(pos - start + 16);
    int run = start;
    while (pos < end) {
      int b = in[pos] & 0xff;
      if (b == '"' || b == '\\') {
        if (pos > run) {
          out.append(new String(in, run, pos - run, StandardCharsets.UTF_8));
        }
        pos++;
        if (b == '"') {
          return out.toString();
        }
        if (pos >= end) {
          break;
        }
        int e = in[pos++];
        switch (e) {
          case '"' -> out.append('"');
          case '\\' -> out.append('\\');
          case '/' -> out.append('/');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> out.append(hex4());
          default -> throw error("invalid escape");
        }
        run = pos;
        continue;
      }
      if (b < 0x20) {
        throw error("control character in a string");
      }
      pos++;
    }
    throw error("unterminated string");
  }

  private char hex4() throws ParseException {
    if (pos + 4 > end) {
      throw error("invalid \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(in[pos++], 16);
      if (d < 0) {
        throw error("invalid \\u escape");
      }
      v = (v << 4) | d;
    }
    return (char) v;
  }

  private Object number() throws ParseException {
    int start = pos;
    if (in[pos] == '-') {
      pos++;
    }
    if (pos < end && in[pos] == '0') {
      pos++;
    } else if (!digits()) {
      throw error("invalid number");
    }
    boolean integral = true;
    if (pos < end && in[pos] == '.') {
      integral = false;
      pos++;
      if (!digits()) {
        throw error("invalid number");
      }
    }
    if (pos < end && (in[pos] == 'e' || in[pos] == 'E')) {
      integral = false;
      pos++;
      if (pos < end && (in[pos] == '+' || in[pos] == '-')) {
        pos++;
      }
      if (!digits()) {
        throw error("invalid number");
      }
    }
    int length = pos - start;
    boolean negative = in[start] == '-';
    if (integral && length - (negative ? 1 : 0) <= 18) {
      long v = 0;
      for (int i = negative ? start + 1 : start; i < pos; i++) {
        v = v * 10 + (in[i] - '0');
      }
      return negative ? -v : v;
    }
    String text = new String(in, start, length, StandardCharsets.ISO_8859_1);
    if (integral) {
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException tooBig) {
        // a double, as below
      }
    }
    double d = Double.parseDouble(text);
    if (Double.isInfinite(d)) {
      throw error("number out of range");
    }
    return d;
  }

  /** Consumes one or more digits; false if there is none. */
  private boolean digits() {
    int start = pos;
    while (pos < end && in[pos] >= '0' && in[pos] <= '9') {
      pos++;
    }
    return pos > start;
  }

  private void literal(String word) throws ParseException {
    int n = word.length();
    if (pos + n > end) {
      throw error("invalid literal");
    }
    for (int i = 0; i < n; i++) {
      if (in[pos + i] != word.charAt(i)) {
        throw error("invalid literal");
      }
    }
    pos += n;
  }

  private String commonName(int start, int length) {
    for (String known : COMMON_NAMES) {
      if (known.length() == length) {
        int i = 0;
        while (i < length && in[start + i] == known.charAt(i)) {
          i++;
        }
        if (i == length) {
          return known;
        }
      }
    }
    return null;
  }

  private void skipWhitespace() {
    while (pos < end) {
      byte b = in[pos];
      if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
        return;
      }
      pos++;
    }
  }

  /** The next byte, or -1 at the end. */
  private int peek() {
    return pos < end ? in[pos] & 0xff : -1;
  }

  private ParseException error(String what) {
    return new ParseException(what + " at offset " + pos, pos);
  }
}
