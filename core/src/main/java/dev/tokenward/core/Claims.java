package dev.tokenward.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the claims whose JSON shape varies between issuers: {@code aud}, {@code scope}/{@code scp}, {@code permissions}. */
final class Claims {
  private Claims() {}

  /** {@code aud} as a list: a string is one audience, an array of strings several; anything else none. */
  static List<String> audiences(Map<String, Object> claims) {
    Object aud = claims.get("aud");
    if (aud instanceof String s) {
      return List.of(s);
    }
    if (aud instanceof List<?> list) {
      List<String> out = new ArrayList<>(list.size());
      for (Object o : list) {
        if (o instanceof String s) {
          out.add(s);
        }
      }
      return Collections.unmodifiableList(out);
    }
    return List.of();
  }

  /** Scopes from {@code scope} (space-separated string, or array) and {@code scp} (array or string). */
  static Set<String> scopes(Map<String, Object> claims) {
    Set<String> out = new LinkedHashSet<>();
    addWords(out, claims.get("scope"));
    addWords(out, claims.get("scp"));
    return out.isEmpty() ? Set.of() : Collections.unmodifiableSet(out);
  }

  /** Auth0 RBAC {@code permissions}: an array of strings (a space-separated string is tolerated). */
  static Set<String> permissions(Map<String, Object> claims) {
    Set<String> out = new LinkedHashSet<>();
    addWords(out, claims.get("permissions"));
    return out.isEmpty() ? Set.of() : Collections.unmodifiableSet(out);
  }

  private static void addWords(Set<String> out, Object value) {
    if (value instanceof String s) {
      for (String word : s.split(" ")) {
        if (!word.isEmpty()) {
          out.add(word);
        }
      }
    } else if (value instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof String s && !s.isEmpty()) {
          out.add(s);
        }
      }
    }
  }
}
