package dev.tokenward.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a resource demands of a valid token: scopes, Auth0 RBAC permissions, or either, all-of or
 * any-of. Every value given is checked; there is no way to build an empty requirement by accident,
 * and a value with a space (two scopes glued together) is refused at construction.
 *
 * <pre>{@code
 * Requirement.allOf("read:messages", "write:messages").check(token); // both, each as scope or permission
 * Requirement.anyScope("admin", "support").check(token);             // at least one, as a scope
 * }</pre>
 * A token that falls short fails with {@link Reason#INSUFFICIENT_SCOPE} (403), and the exception
 * carries the value for the RFC 6750 {@code scope} attribute.
 */
public final class Requirement {
  /** How the values combine. */
  public enum Match { ALL, ANY }

  /** Where a value may be granted. */
  public enum Source { SCOPE, PERMISSION, SCOPE_OR_PERMISSION }

  private final Match match;
  private final Source source;
  private final Set<String> values;
  private final List<Requirement> parts; // for and(): every part must hold
  private final StepUp stepUp; // a step-up part (RFC 9470): no values, source null

  private Requirement(Match match, Source source, String first, String... more) {
    Set<String> set = new LinkedHashSet<>();
    set.add(checked(first));
    for (String v : Objects.requireNonNull(more, "values")) {
      set.add(checked(v));
    }
    this.match = match;
    this.source = source;
    this.values = Collections.unmodifiableSet(set);
    this.parts = List.of(this);
    this.stepUp = null;
  }

  private Requirement(StepUp stepUp) {
    this.match = Match.ALL;
    this.source = null;
    this.values = Set.of();
    this.parts = List.of(this);
    this.stepUp = stepUp;
  }

  private Requirement(List<Requirement> parts) {
    this.match = Match.ALL;
    this.source = null;
    Set<String> set = new LinkedHashSet<>();
    parts.forEach(p -> set.addAll(p.values));
    this.values = Collections.unmodifiableSet(set);
    this.parts = parts;
    this.stepUp = null;
  }

  /** Every value must be granted, as a scope or as a permission. */
  public static Requirement allOf(String first, String... more) {
    return new Requirement(Match.ALL, Source.SCOPE_OR_PERMISSION, first, more);
  }

  /** At least one value must be granted, as a scope or as a permission. */
  public static Requirement anyOf(String first, String... more) {
    return new Requirement(Match.ANY, Source.SCOPE_OR_PERMISSION, first, more);
  }

  /** Every value must be a granted scope. */
  public static Requirement allScopes(String first, String... more) {
    return new Requirement(Match.ALL, Source.SCOPE, first, more);
  }

  /** At least one value must be a granted scope. */
  public static Requirement anyScope(String first, String... more) {
    return new Requirement(Match.ANY, Source.SCOPE, first, more);
  }

  /** Every value must be a granted permission (Auth0 RBAC). */
  public static Requirement allPermissions(String first, String... more) {
    return new Requirement(Match.ALL, Source.PERMISSION, first, more);
  }

  /** At least one value must be a granted permission (Auth0 RBAC). */
  public static Requirement anyPermission(String first, String... more) {
    return new Requirement(Match.ANY, Source.PERMISSION, first, more);
  }

  /** A general form, for configuration read from files: {@code values} must not be empty. */
  public static Requirement of(Match match, Source source, List<String> values) {
    Objects.requireNonNull(values, "values");
    if (values.isEmpty()) {
      throw new IllegalArgumentException("a requirement needs at least one scope or permission");
    }
    return new Requirement(Objects.requireNonNull(match, "match"), Objects.requireNonNull(source, "source"),
        values.get(0), values.subList(1, values.size()).toArray(new String[0]));
  }

  /**
   * The user behind the token must have authenticated as strongly and as recently as {@code stepUp}
   * asks (RFC 9470); a token that falls short fails with {@link Reason#INSUFFICIENT_USER_AUTHENTICATION}
   * (401). Combine it with scopes by {@link #and}: {@code Requirement.allOf("transfer").and(Requirement.stepUp(mfa))}.
   */
  public static Requirement stepUp(StepUp stepUp) {
    return new Requirement(Objects.requireNonNull(stepUp, "stepUp"));
  }

  /** Both this and {@code other} must hold. */
  public Requirement and(Requirement other) {
    List<Requirement> all = new ArrayList<>(parts);
    all.addAll(Objects.requireNonNull(other, "other").parts);
    return new Requirement(List.copyOf(all));
  }

  /** The scopes and permissions named, in order (a step-up part names none). */
  public Set<String> values() {
    return values;
  }

  /** The step-up requirements among the parts (RFC 9470), in order; empty when only scopes or permissions are required. */
  public List<StepUp> stepUps() {
    List<StepUp> out = new ArrayList<>(1);
    for (Requirement p : parts) {
      if (p.stepUp != null) {
        out.add(p.stepUp);
      }
    }
    return List.copyOf(out);
  }

  /** True if the token satisfies the requirement. */
  public boolean isSatisfiedBy(VerifiedToken token) {
    for (Requirement p : parts) {
      if (!p.holdsAlone(token)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Passes, or fails naming what is missing: with {@link Reason#INSUFFICIENT_USER_AUTHENTICATION}
   * (401) for a step-up part, checked first (a client that authenticates again can ask for the
   * missing scopes at the same time), else {@link Reason#INSUFFICIENT_SCOPE} (403).
   */
  public void check(VerifiedToken token) throws TokenValidationException {
    for (Requirement p : parts) {
      if (p.stepUp != null) {
        p.stepUp.check(token);
      }
    }
    for (Requirement p : parts) {
      if (p.stepUp == null && !p.holdsAlone(token)) {
        throw TokenValidationException.insufficientScope(p.describeShortfall(token), String.join(" ", p.values));
      }
    }
  }

  private boolean holdsAlone(VerifiedToken token) {
    if (stepUp != null) {
      return stepUp.isSatisfiedBy(token);
    }
    for (String v : values) {
      boolean granted = granted(token, v);
      if (match == Match.ANY && granted) {
        return true;
      }
      if (match == Match.ALL && !granted) {
        return false;
      }
    }
    return match == Match.ALL;
  }

  private boolean granted(VerifiedToken token, String value) {
    return switch (source) {
      case SCOPE -> token.hasScope(value);
      case PERMISSION -> token.hasPermission(value);
      case SCOPE_OR_PERMISSION -> token.grants(value);
    };
  }

  private String describeShortfall(VerifiedToken token) {
    String kind = switch (source) {
      case SCOPE -> "scope";
      case PERMISSION -> "permission";
      case SCOPE_OR_PERMISSION -> "scope or permission";
    };
    if (match == Match.ANY) {
      return "the token grants none of the required " + kind + " values: " + String.join(" ", values);
    }
    List<String> missing = new ArrayList<>();
    for (String v : values) {
      if (!granted(token, v)) {
        missing.add(v);
      }
    }
    return "the token lacks the required " + kind + " " + String.join(" ", missing);
  }

  private static String checked(String v) {
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("a scope or permission must not be empty");
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      // RFC 6749 scope-token: %x21 / %x23-5B / %x5D-7E
      if (c < 0x21 || c == 0x22 || c == 0x5c || c > 0x7e) {
        throw new IllegalArgumentException("'" + v + "' is not a single scope value: give each scope as its own argument");
      }
    }
    return v;
  }

  @Override
  public String toString() {
    if (stepUp != null) {
      return stepUp.toString();
    }
    if (source == null) {
      List<String> s = new ArrayList<>();
      parts.forEach(p -> s.add(p.toString()));
      return String.join(" and ", s);
    }
    return (match == Match.ALL ? "all of " : "any of ") + source.name().toLowerCase(java.util.Locale.ROOT) + " "
        + String.join(" ", values);
  }
}
