package dev.tokenward.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * The form in which a DPoP proof's {@code htu} and the request URI are compared (RFC 9449
 * section 4.3, check 9): query and fragment dropped, then RFC 3986 section 6.2.2 syntax-based
 * normalisation (case of scheme, host and percent-encodings; unreserved characters decoded; dot
 * segments removed) and section 6.2.3 scheme-based normalisation (default port dropped, empty path
 * is {@code /}). A client and a server that spell one URI differently thus still agree, and nothing
 * that names another resource does.
 */
final class Htu {
  private Htu() {}

  /**
   * The normalised form of an absolute http(s) URI.
   *
   * @throws IllegalArgumentException if it is not an absolute http(s) URI with a host (userinfo is refused)
   */
  static String normalize(String uri) {
    URI u;
    try {
      u = new URI(uri);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a valid URI");
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("not an http or https URI");
    }
    String authority = u.getRawAuthority();
    if (authority == null || authority.isEmpty()) {
      throw new IllegalArgumentException("it has no host");
    }
    if (authority.indexOf('@') >= 0) {
      throw new IllegalArgumentException("it has userinfo");
    }
    String host;
    String port = "";
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("its IPv6 host is not closed");
      }
      host = authority.substring(0, close + 1);
      String rest = authority.substring(close + 1);
      if (!rest.isEmpty()) {
        if (rest.charAt(0) != ':') {
          throw new IllegalArgumentException("its authority is malformed");
        }
        port = rest.substring(1);
      }
    } else {
      int colon = authority.lastIndexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      port = colon < 0 ? "" : authority.substring(colon + 1);
    }
    if (host.isEmpty() || host.equals("[]")) {
      throw new IllegalArgumentException("it has no host");
    }
    if (port.length() > 5) {
      throw new IllegalArgumentException("its port is not a number");
    }
    int zeros = 0; // leading zeros, the last digit kept ("00" is port "0"); a loop, not a regex, on the per-request path
    for (int i = 0; i < port.length(); i++) {
      char c = port.charAt(i);
      if (c < '0' || c > '9') {
        throw new IllegalArgumentException("its port is not a number");
      }
      if (c == '0' && zeros == i && i < port.length() - 1) {
        zeros++;
      }
    }
    port = port.substring(zeros);
    if ((scheme.equals("http") && port.equals("80")) || (scheme.equals("https") && port.equals("443"))) {
      port = "";
    }
    String path = u.getRawPath() == null ? "" : u.getRawPath();
    path = removeDotSegments(percentNormalize(path));
    if (path.isEmpty()) {
      path = "/";
    }
    return scheme + "://" + percentNormalize(host).toLowerCase(Locale.ROOT) + (port.isEmpty() ? "" : ":" + port) + path;
  }

  /** The request URI with its scheme and authority replaced by an external base URL ({@code scheme://host[:port]}). */
  static String rebase(URI request, String externalBase) {
    String path = request.getRawPath() == null ? "" : request.getRawPath();
    return externalBase + path;
  }

  /** Upper-case hex in every %XX, and %XX of an unreserved character decoded (RFC 3986 sections 6.2.2.1 and 6.2.2.2). */
  static String percentNormalize(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '%') {
        b.append(c);
        continue;
      }
      if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
        throw new IllegalArgumentException("it has a malformed percent-encoding");
      }
      int v = Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16);
      if ((v >= 'A' && v <= 'Z') || (v >= 'a' && v <= 'z') || (v >= '0' && v <= '9') || v == '-' || v == '.' || v == '_'
          || v == '~') {
        b.append((char) v);
      } else {
        b.append('%').append(Character.toUpperCase(s.charAt(i + 1))).append(Character.toUpperCase(s.charAt(i + 2)));
      }
      i += 2;
    }
    return b.toString();
  }

  /** RFC 3986 section 5.2.4. */
  static String removeDotSegments(String path) {
    if (path.indexOf('.') < 0) {
      return path;
    }
    StringBuilder in = new StringBuilder(path);
    StringBuilder out = new StringBuilder(path.length());
    while (in.length() > 0) {
      if (startsWith(in, "../")) {
        in.delete(0, 3);
      } else if (startsWith(in, "./")) {
        in.delete(0, 2);
      } else if (startsWith(in, "/./")) {
        in.delete(0, 2);
      } else if (equals(in, "/.")) {
        in.replace(0, 2, "/");
      } else if (startsWith(in, "/../")) {
        in.delete(0, 3);
        removeLastSegment(out);
      } else if (equals(in, "/..")) {
        in.replace(0, 3, "/");
        removeLastSegment(out);
      } else if (equals(in, ".") || equals(in, "..")) {
        in.setLength(0);
      } else {
        int start = in.charAt(0) == '/' ? 1 : 0;
        int next = in.indexOf("/", start);
        int end = next < 0 ? in.length() : next;
        out.append(in, 0, end);
        in.delete(0, end);
      }
    }
    return out.toString();
  }

  private static void removeLastSegment(StringBuilder out) {
    int slash = out.lastIndexOf("/");
    out.setLength(Math.max(slash, 0));
  }

  private static boolean startsWith(StringBuilder b, String prefix) {
    return b.length() >= prefix.length() && b.substring(0, prefix.length()).equals(prefix);
  }

  private static boolean equals(StringBuilder b, String s) {
    return b.length() == s.length() && b.toString().equals(s);
  }
}
