package dev.tokenward.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * A custom rule a token must satisfy in addition to the built-in ones, such as "{@code gty} is
 * {@code client-credentials}" or "{@code org_id} is ours". Checks compose with {@link #and}.
 *
 * <p>Checks run once per token, after the signature and every built-in rule passed and before the
 * token is cached; they see the claims and the header through the {@link VerifiedToken}. A refused
 * token fails with {@link Reason#CLAIM_CHECK_FAILED} and the check's description.
 */
public final class ClaimCheck {
  private final String description;
  private final Predicate<VerifiedToken> predicate; // null for a composite
  private final List<ClaimCheck> parts; // this check alone, or the parts of a composite

  private ClaimCheck(String description, Predicate<VerifiedToken> predicate) {
    this.description = Objects.requireNonNull(description, "description");
    this.predicate = Objects.requireNonNull(predicate, "predicate");
    this.parts = List.of(this);
  }

  private ClaimCheck(String description, Predicate<VerifiedToken> predicate, List<ClaimCheck> parts) {
    this.description = description;
    this.predicate = predicate;
    this.parts = parts;
  }

  /** A check described in words (used in the failure description) over claims and header. */
  public static ClaimCheck of(String description, Predicate<VerifiedToken> predicate) {
    return new ClaimCheck(description, predicate);
  }

  /** The claim is present and equal to {@code expected} (a JSON number compares by value). */
  public static ClaimCheck equals(String claim, Object expected) {
    Objects.requireNonNull(claim, "claim");
    Objects.requireNonNull(expected, "expected");
    return new ClaimCheck("claim '" + claim + "' must equal " + Json.shown(expected), t -> {
      Object v = t.claims().get(claim);
      if (v instanceof Number a && expected instanceof Number b) {
        return a.doubleValue() == b.doubleValue();
      }
      return expected.equals(v);
    });
  }

  /** The claim is a string equal to {@code value}, an array holding it, or a space-separated string listing it. */
  public static ClaimCheck includes(String claim, String value) {
    Objects.requireNonNull(claim, "claim");
    Objects.requireNonNull(value, "value");
    return new ClaimCheck("claim '" + claim + "' must include " + Json.shown(value), t -> {
      Object v = t.claims().get(claim);
      if (v instanceof String s) {
        return s.equals(value) || List.of(s.split(" ")).contains(value);
      }
      return v instanceof List<?> l && l.contains(value);
    });
  }

  /** Both this and {@code other} must pass; the first failing one is reported. */
  public ClaimCheck and(ClaimCheck other) {
    Objects.requireNonNull(other, "other");
    List<ClaimCheck> all = new ArrayList<>(parts);
    all.addAll(other.parts);
    return new ClaimCheck(description + " and " + other.description, null, List.copyOf(all));
  }

  /** What the check demands, in words. */
  public String description() {
    return description;
  }

  /** Runs the check; a failure names this check's description. */
  public void check(VerifiedToken token) throws TokenValidationException {
    if (predicate == null) {
      for (ClaimCheck part : parts) {
        part.check(token);
      }
      return;
    }
    boolean ok;
    try {
      ok = predicate.test(token);
    } catch (RuntimeException e) {
      ok = false;
    }
    if (!ok) {
      throw new TokenValidationException(Reason.CLAIM_CHECK_FAILED, "claim check failed: " + description);
    }
  }
}
