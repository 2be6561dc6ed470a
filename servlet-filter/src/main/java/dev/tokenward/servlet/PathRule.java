package dev.tokenward.servlet;

import dev.tokenward.core.Requirement;
import dev.tokenward.core.Requirement.Match;
import dev.tokenward.core.Requirement.Source;
import dev.tokenward.core.SenderConstraint;
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
 * When several rules cover a path, an exact rule wins, then the longest prefix. Prefix rules use the
 * servlet specification's form ({@code /orders/*}); {@code /orders/**} is refused with a hint. An
 * exact rule covers no path below it: {@code /orders} with a servlet mapped to {@code /orders/*}
 * leaves {@code /orders/42} to other rules, so the filter logs a WARN at {@code init} for every
 * exact rule that a wildcard servlet mapping extends and no prefix rule backs.
 *
 * <p>The rule's text form, used by {@code rule.PATTERN} init-parameters and {@link #parse}:
 * {@code authenticated} (any valid token), {@code optional} (optional authentication, see
 * {@link #optional(String)}), or one or more clauses separated by {@code ;}, each an
 * optional keyword and one or more values; every clause must hold. Optional leading words, in any
 * order, say more about the token:
 * <table>
 *   <caption>leading words</caption>
 *   <tr><td>{@code online}</td><td>the issuer's revocation check as well ({@code validateOnline})</td></tr>
 *   <tr><td>{@code dpop}</td><td>a DPoP-bound token with a valid proof (RFC 9449), even where the issuer's
 *   policy also allows bearer tokens ({@link SenderConstraint#DPOP}, as {@code @RequiresDpop})</td></tr>
 *   <tr><td>{@code sender-constrained}</td><td>a DPoP-bound token with its proof, or a certificate-bound one
 *   (RFC 8705) with its TLS client certificate; never a plain bearer token
 *   ({@link SenderConstraint#DPOP_OR_MTLS}, as {@code @RequiresSenderConstrained})</td></tr>
 *   <tr><td>{@code step-up}</td><td>a user who authenticated strongly and recently enough (RFC 9470), as the
 *   filter's step-up policy says ({@code stepUp(StepUp)} on its builder, or the settings {@code step-up-acr} and
 *   {@code step-up-max-age-seconds}), as {@code @RequiresStepUp} without attributes; a token that falls short is
 *   answered 401 {@code insufficient_user_authentication}</td></tr>
 * </table>
 * A leading word says how the token is presented or how its user authenticated, not what it grants: it is
 * followed by {@code authenticated} or by clauses ({@code dpop authenticated}, {@code online dpop payments:write},
 * {@code step-up transfer:money}).
 * A rule with {@code dpop} fails the filter's configuration if DPoP is off for an issuer of its validator, and one
 * with {@code step-up} if the filter has no step-up policy.
 * <table>
 *   <caption>clause keywords</caption>
 *   <tr><td>(none) or {@code all-of}</td><td>every value, each as a scope or a permission</td></tr>
 *   <tr><td>{@code any-of}</td><td>at least one value, as a scope or a permission</td></tr>
 *   <tr><td>{@code all-scopes} / {@code any-scope}</td><td>as scopes only</td></tr>
 *   <tr><td>{@code all-permissions} / {@code any-permission}</td><td>as permissions only</td></tr>
 * </table>
 * Example: {@code online all-scopes read:reports; any-permission export:csv export:pdf}.
 * {@code optional} stands alone: no leading word or clause goes with it, as
 * {@code @OptionalAuthentication} goes with no other annotation in the JAX-RS feature.
 * A word that is almost a keyword or a leading word ({@code al-of}, {@code DPoP}, {@code sender-constraint})
 * is refused with a did-you-mean message rather than taken for a scope.
 */
public final class PathRule {
  private final String pattern;
  private final Requirement requirement; // null: any valid token
  private final boolean onlineCheck;
  private final SenderConstraint senderConstraint; // null: as the issuer's DPoP policy says
  private final boolean optional; // optional authentication: no requirement, no online check, no constraint
  private final boolean stepUp; // the filter's configured step-up policy applies too

  private PathRule(String pattern, Requirement requirement, boolean onlineCheck) {
    this(pattern, requirement, onlineCheck, null);
  }

  private PathRule(String pattern, Requirement requirement, boolean onlineCheck, SenderConstraint senderConstraint) {
    this(pattern, requirement, onlineCheck, senderConstraint, false);
  }

  private PathRule(String pattern, Requirement requirement, boolean onlineCheck, SenderConstraint senderConstraint,
      boolean optional) {
    this(pattern, requirement, onlineCheck, senderConstraint, optional, false);
  }

  private PathRule(String pattern, Requirement requirement, boolean onlineCheck, SenderConstraint senderConstraint,
      boolean optional, boolean stepUp) {
    this.stepUp = stepUp;
    this.pattern = checkedPattern(pattern);
    this.requirement = requirement;
    this.onlineCheck = onlineCheck;
    this.senderConstraint = senderConstraint;
    this.optional = optional;
  }

  /** Any valid access token. */
  public static PathRule authenticated(String pattern) {
    return new PathRule(pattern, null, false);
  }

  /**
   * Optional authentication (text form {@code optional}), as the JAX-RS feature's
   * {@code @OptionalAuthentication}: a request without credentials (none, or another scheme such as
   * {@code Basic}) is served anonymously ({@link Tokens#find} is empty, no principal), one with a valid
   * token is served authenticated, and one with a bad token (malformed, invalid, expired, several
   * tokens) is refused exactly as under {@link #authenticated}: a broken token is never silently
   * ignored. A servlet annotation that asks for a token still demands one on such a path.
   *
   * @param pattern the path pattern
   * @return the rule
   */
  public static PathRule optional(String pattern) {
    return new PathRule(pattern, null, false, null, true);
  }

  /** A valid access token that satisfies {@code requirement}. */
  public static PathRule requiring(String pattern, Requirement requirement) {
    return new PathRule(pattern, Objects.requireNonNull(requirement, "requirement"), false);
  }

  /**
   * The rule in its text form (see the class comment).
   *
   * @throws IllegalArgumentException naming the pattern and the text for a rule that cannot be
   *     parsed: an empty rule or clause, a keyword in the wrong case ({@code Authenticated}), a word
   *     that is almost a keyword ({@code al-of}), a keyword among the values, or an invalid value
   */
  public static PathRule parse(String pattern, String rule) {
    try {
      return parseText(pattern, rule);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("path rule " + pattern + " = '" + rule + "': " + e.getMessage(), e);
    }
  }

  /** {@link #parse} with messages that do not repeat the rule, for callers that name it themselves. */
  static PathRule parseText(String pattern, String rule) {
    List<String> words = new ArrayList<>(Arrays.asList(Objects.requireNonNull(rule, "rule").trim().split("\\s+")));
    words.removeIf(String::isEmpty);
    List<String> leading = new ArrayList<>(2);
    while (!words.isEmpty() && LEADING_WORDS.contains(words.get(0))) {
      String word = words.remove(0);
      if (leading.contains(word)) {
        throw new IllegalArgumentException("'" + word + "' is given twice");
      }
      leading.add(word);
    }
    boolean online = leading.contains("online");
    SenderConstraint constraint = null;
    if (leading.contains("dpop") && leading.contains("sender-constrained")) {
      throw new IllegalArgumentException("'dpop' and 'sender-constrained' together: 'dpop' accepts only DPoP-bound "
          + "tokens, 'sender-constrained' DPoP- or certificate-bound ones; keep one");
    } else if (leading.contains("dpop")) {
      constraint = SenderConstraint.DPOP;
    } else if (leading.contains("sender-constrained")) {
      constraint = SenderConstraint.DPOP_OR_MTLS;
    }
    boolean stepUp = leading.contains("step-up");
    if (words.isEmpty() && stepUp) {
      throw new IllegalArgumentException("'step-up' says how the user must have authenticated, not what the token must "
          + "grant: follow it with 'authenticated' or the scopes/permissions required, e.g. '"
          + String.join(" ", leading) + " authenticated'");
    }
    if (words.isEmpty()) {
      throw new IllegalArgumentException(leading.isEmpty() || leading.equals(List.of("online"))
          ? "empty rule; give 'authenticated' or the scopes/permissions required"
          : "'" + String.join(" ", leading) + "' says how the token is presented, not what it must grant: follow it "
              + "with 'authenticated' or the scopes/permissions required, e.g. '" + String.join(" ", leading)
              + " authenticated'");
    }
    if (words.size() == 1 && words.get(0).equals("optional")) {
      if (!leading.isEmpty()) {
        throw new IllegalArgumentException(optionalAlone());
      }
      return new PathRule(pattern, null, false, null, true);
    }
    if (words.size() == 1 && words.get(0).equals("authenticated")) {
      return new PathRule(pattern, null, online, constraint, false, stepUp);
    }
    Requirement all = null;
    for (String clause : String.join(" ", words).split(";")) {
      Requirement r = clause(clause.trim());
      all = all == null ? r : all.and(r);
    }
    return new PathRule(pattern, all, online, constraint, false, stepUp);
  }

  /** The clause keywords, the words that may start a rule, and every word of the rule vocabulary. */
  private static final List<String> KEYWORDS = List.of("all-of", "any-of", "all-scopes", "any-scope",
      "all-permissions", "any-permission");
  private static final List<String> LEADING_WORDS = List.of("online", "dpop", "sender-constrained", "step-up");
  private static final List<String> RULE_WORDS = List.of("authenticated", "optional", "online", "dpop",
      "sender-constrained", "step-up");

  private static String optionalAlone() {
    return "'optional' stands alone: anonymous requests pass and a token that is present must be valid; it takes no "
        + "leading word and no scopes (to require a scope or permission named 'optional', write 'all-of optional')";
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
      words.remove(0); // after an explicit keyword every word is a value, even one named like a keyword
      if (words.isEmpty()) {
        throw new IllegalArgumentException("'" + keyword + "' needs at least one scope or permission after it");
      }
    } else {
      for (String word : words) {
        refuseKeywordLike(word);
      }
    }
    return Requirement.of(match, source, words);
  }

  /**
   * Refuses a bare value that is a keyword in the wrong place, in the wrong case, or one or two
   * letters away from one: it is a typo far more often than a scope, and a typo would otherwise
   * become a required scope nobody holds, or worse, an intended check silently replaced by another.
   */
  private static void refuseKeywordLike(String word) {
    if (KEYWORDS.contains(word)) {
      throw new IllegalArgumentException("keyword '" + word + "' must start its clause; separate clauses with ';'");
    }
    if (word.equals("optional")) {
      throw new IllegalArgumentException(optionalAlone());
    }
    if (RULE_WORDS.contains(word)) {
      throw new IllegalArgumentException("'" + word + "' must " + (LEADING_WORDS.contains(word)
          ? "come first in the rule, before 'authenticated' or the scopes (leading words: " + String.join(", ", LEADING_WORDS) + ")"
          : "stand alone (or after 'online', 'dpop', 'sender-constrained' or 'step-up')"));
    }
    if (word.equalsIgnoreCase("mtls")) {
      throw new IllegalArgumentException("'" + word + "' is not a keyword: did you mean 'sender-constrained'? It accepts "
          + "certificate-bound (mTLS) and DPoP-bound tokens; to require a scope or permission named '" + word
          + "', write 'all-of " + word + "'");
    }
    String lower = word.toLowerCase(java.util.Locale.ROOT);
    String nearest = null;
    int best = Integer.MAX_VALUE;
    for (String k : KEYWORDS) {
      int d = distance(lower, k);
      if (d < best) {
        best = d;
        nearest = k;
      }
    }
    if (best <= 2) {
      throw new IllegalArgumentException(unknownKeyword(word, nearest));
    }
    for (String k : RULE_WORDS) {
      if (distance(lower, k) <= (k.equals("sender-constrained") ? 2 : 1)) {
        throw new IllegalArgumentException("'" + word + "' is not a keyword: did you mean '" + k + "'? Keywords are "
            + "lower case; to require a scope or permission named '" + word + "', write 'all-of " + word + "'");
      }
    }
  }

  private static String unknownKeyword(String word, String near) {
    return "'" + word + "' is not a keyword: did you mean '" + near + "'? Keywords (lower case): "
        + String.join(", ", KEYWORDS) + "; to require a scope or permission named '" + word + "', write 'all-of "
        + word + "'";
  }

  /** Levenshtein distance, for short words only. */
  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** The same rule, and the issuer is also asked whether the token is still active ({@code validateOnline}). */
  public PathRule withOnlineCheck() {
    refuseOnOptional("withOnlineCheck");
    return new PathRule(pattern, requirement, true, senderConstraint, false, stepUp);
  }

  /**
   * The same rule, and the token must be sender-constrained as {@code constraint} says: DPoP-bound
   * with its proof ({@link SenderConstraint#DPOP}, keyword {@code dpop}), or DPoP- or certificate-bound
   * ({@link SenderConstraint#DPOP_OR_MTLS}, keyword {@code sender-constrained}).
   */
  public PathRule withSenderConstraint(SenderConstraint constraint) {
    refuseOnOptional("withSenderConstraint");
    return new PathRule(pattern, requirement, onlineCheck, Objects.requireNonNull(constraint, "constraint"), false,
        stepUp);
  }

  /**
   * The same rule, and the user behind the token must also meet the filter's step-up policy
   * (RFC 9470; text form: the leading word {@code step-up}): the one given to
   * {@code BearerTokenFilter.Builder.stepUp}, or read from the settings {@code step-up-acr} and
   * {@code step-up-max-age-seconds}. Building a filter with such a rule and no policy fails, naming
   * the rule. For a policy of this rule's own, use {@code Requirement.stepUp(StepUp)} instead.
   *
   * @return the rule with step-up
   */
  public PathRule withStepUp() {
    refuseOnOptional("withStepUp");
    return new PathRule(pattern, requirement, onlineCheck, senderConstraint, false, true);
  }

  /**
   * Whether the filter's step-up policy applies (the leading word {@code step-up}, {@link #withStepUp()}).
   *
   * @return true for a rule written with {@code step-up}
   */
  public boolean stepUp() {
    return stepUp;
  }

  /** How the token must be presented (DPoP, or DPoP or mTLS); empty when the issuer's DPoP policy decides alone. */
  public Optional<SenderConstraint> senderConstraint() {
    return Optional.ofNullable(senderConstraint);
  }

  /**
   * The path pattern this rule covers, as given: {@code /exact}, {@code /prefix/*} or {@code /*}.
   *
   * @return the pattern
   */
  public String pattern() {
    return pattern;
  }

  /**
   * Whether this is optional authentication ({@link #optional(String)}): anonymous requests pass, a
   * token that is present must be valid.
   *
   * @return true for a rule written {@code optional}
   */
  public boolean optionalAuthentication() {
    return optional;
  }

  /** What the token must grant; empty when any valid token will do. */
  public Optional<Requirement> requirement() {
    return Optional.ofNullable(requirement);
  }

  /**
   * Whether the issuer is also asked if the token is still active (revocation), as {@code validateOnline} does.
   *
   * @return true for a rule written with {@code online}
   */
  public boolean onlineCheck() {
    return onlineCheck;
  }

  private void refuseOnOptional(String method) {
    if (optional) {
      throw new IllegalStateException(method + ": rule " + pattern + " is 'optional', which stands alone; "
          + "use authenticated(...) for a rule that requires a token");
    }
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
    if (!ok && pattern.endsWith("/**") && pattern.indexOf('*') == pattern.length() - 2) {
      throw new IllegalArgumentException("path pattern '" + pattern + "': write the prefix as "
          + pattern.substring(0, pattern.length() - 1) + " (the servlet specification's form: the path and "
          + "everything below it)");
    }
    if (!ok) {
      throw new IllegalArgumentException("path pattern '" + pattern + "' must be an exact path such as /api/private "
          + "or a prefix such as /api/*");
    }
    return pattern;
  }

  @Override
  public String toString() {
    if (optional) {
      return pattern + " -> optional";
    }
    return pattern + " -> " + (onlineCheck ? "online " : "") + (stepUp ? "step-up " : "")
        + (senderConstraint == SenderConstraint.DPOP ? "dpop " : senderConstraint != null ? "sender-constrained " : "")
        + (requirement == null ? "authenticated" : requirement);
  }
}
