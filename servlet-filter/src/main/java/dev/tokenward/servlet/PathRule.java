package dev.tokenward.servlet;

import dev.tokenward.core.Requirement;
import dev.tokenward.core.Requirement.Match;
import dev.tokenward.core.Requirement.Source;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which requests need a token, and what the token must grant. A rule covers a path within the
 * application (servlet path + path info, after the context path):
 * <ul>
 *   <li>{@code /api/private}: exactly that path (a trailing slash is ignored);
 *   <li>{@code /api/*}: {@code /api} and everything below it; {@code /*}: every path.
 * </ul>
 * When several rules cover a path, an exact rule wins, then the longest prefix.
 *
 * <p>The rule's text form, used by {@code rule.PATTERN} init-parameters and {@link #parse}:
 * {@code authenticated} (any valid token), or one or more clauses separated by {@code ;}, each an
 * optional keyword and one or more values; every clause must hold. An optional leading word
 * {@code online} adds the issuer's revocation check.
 * <table>
 *   <caption>clause keywords</caption>
 *   <tr><td>(none) or {@code all-of}</td><td>every value, each as a scope or a permission</td></tr>
 *   <tr><td>{@code any-of}</td><td>at least one value, as a scope or a permission</td></tr>
 *   <tr><td>{@code all-scopes} / {@code any-scope}</td><td>as scopes only</td></tr>
 *   <tr><td>{@code all-permissions} / {@code any-permission}</td><td>as permissions only</td></tr>
 * </table>
 * Example: {@code online all-scopes read:reports; any-permission export:csv export:pdf}.
 */
public final class PathRule {
  private final String pattern;
  private final Requirement requirement; // null: any valid token
  private final boolean onlineCheck;

  private PathRule(String pattern, Requirement requirement, boolean onlineCheck) {
    this.pattern = checkedPattern(pattern);
    this.requirement = requirement;
    this.onlineCheck = onlineCheck;
  }

  /** Any valid access token. */
  public static PathRule authenticated(String pattern) {
    return new PathRule(pattern, null, false);
  }

  /** A valid access token that satisfies {@code requirement}. */
  public static PathRule requiring(String pattern, Requirement requirement) {
    return new PathRule(pattern, Objects.requireNonNull(requirement, "requirement"), false);
  }

  /** The rule in its text form (see the class comment). */
  public static PathRule parse(String pattern, String rule) {
    List<String> words = new ArrayList<>(Arrays.asList(Objects.requireNonNull(rule, "rule").trim().split("\\s+")));
    words.removeIf(String::isEmpty);
    boolean online = !words.isEmpty() && words.get(0).equals("online");
    if (online) {
      words.remove(0);
    }
    if (words.isEmpty()) {
      throw new IllegalArgumentException("empty rule; give 'authenticated' or the scopes/permissions required");
    }
    if (words.size() == 1 && words.get(0).equals("authenticated")) {
      return new PathRule(pattern, null, online);
    }
    Requirement all = null;
    for (String clause : String.join(" ", words).split(";")) {
      Requirement r = clause(clause.trim());
      all = all == null ? r : all.and(r);
    }
    return new PathRule(pattern, all, online);
  }

  private static Requirement clause(String clause) {
    List<String> words = new ArrayList<>(Arrays.asList(clause.split(" ")));
    if (clause.isEmpty() || clause.equals("authenticated")) {
      throw new IllegalArgumentException("empty clause, or 'authenticated' combined with other clauses");
    }
    Match match = Match.ALL;
    Source source = Source.SCOPE_OR_PERMISSION;
    String keyword = words.get(0);
    boolean known = true;
    switch (keyword) {
      case "all-of" -> { }
      case "any-of" -> match = Match.ANY;
      case "all-scopes" -> source = Source.SCOPE;
      case "any-scope" -> { match = Match.ANY; source = Source.SCOPE; }
      case "all-permissions" -> source = Source.PERMISSION;
      case "any-permission" -> { match = Match.ANY; source = Source.PERMISSION; }
      default -> known = false;
    }
    if (known) {
      words.remove(0);
      if (words.isEmpty()) {
        throw new IllegalArgumentException("'" + keyword + "' needs at least one scope or permission after it");
      }
    }
    return Requirement.of(match, source, words);
  }

  /** The same rule, and the issuer is also asked whether the token is still active ({@code validateOnline}). */
  public PathRule withOnlineCheck() {
    return new PathRule(pattern, requirement, true);
  }

  public String pattern() {
    return pattern;
  }

  /** What the token must grant; empty when any valid token will do. */
  public Optional<Requirement> requirement() {
    return Optional.ofNullable(requirement);
  }

  public boolean onlineCheck() {
    return onlineCheck;
  }

  boolean isPrefix() {
    return pattern.endsWith("/*");
  }

  /** For an exact rule the path without trailing slashes; for a prefix rule the part before {@code /*}. */
  String base() {
    return isPrefix() ? pattern.substring(0, pattern.length() - 2) : stripTrailingSlashes(pattern);
  }

  static String stripTrailingSlashes(String path) {
    int end = path.length();
    while (end > 1 && path.charAt(end - 1) == '/') {
      end--;
    }
    return path.substring(0, end);
  }

  private static String checkedPattern(String pattern) {
    Objects.requireNonNull(pattern, "pattern");
    int star = pattern.indexOf('*');
    boolean ok = pattern.startsWith("/") && pattern.chars().noneMatch(Character::isWhitespace)
        && (star < 0 || star == pattern.length() - 1 && pattern.endsWith("/*"));
    if (!ok) {
      throw new IllegalArgumentException("path pattern '" + pattern + "' must be an exact path such as /api/private "
          + "or a prefix such as /api/*");
    }
    return pattern;
  }

  @Override
  public String toString() {
    return pattern + " -> " + (onlineCheck ? "online " : "") + (requirement == null ? "authenticated" : requirement);
  }
}
