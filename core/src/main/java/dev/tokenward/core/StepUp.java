package dev.tokenward.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A step-up requirement (RFC 9470): how strongly, and how recently, the user behind a token must
 * have authenticated. A token that falls short is refused with {@link Reason#INSUFFICIENT_USER_AUTHENTICATION}
 * (401 {@code insufficient_user_authentication}), and the challenge tells the client what to ask
 * the authorization server for: {@code acr_values} and/or {@code max_age}.
 *
 * <pre>{@code
 * StepUp mfa = StepUp.builder()
 *     .acr("http://schemas.openid.net/pape/policies/2007/06/multi-factor") // what Auth0 writes after MFA
 *     .amr("mfa")                                                           // ... and its amr
 *     .maxAge(Duration.ofMinutes(5))                                        // auth_time at most 5 minutes ago
 *     .build();
 * Requirement needs = Requirement.allOf("transfer:money").and(Requirement.stepUp(mfa));
 * }</pre>
 *
 * <p>The {@code acr} and {@code amr} values are alternative evidence of the same strong
 * authentication: a token passes with an {@code acr} from the list <em>or</em> an {@code amr}
 * entry from the list (Auth0 writes {@code acr} only when the client asked for it with
 * {@code acr_values}, but {@code amr: ["mfa"]} after any MFA). A maximum age needs
 * {@code auth_time}: a token without it fails the age check, as it cannot prove a recent
 * authentication.
 */
public final class StepUp {
  private final Set<String> acr;
  private final Set<String> amr;
  private final Duration maxAge; // null: any age
  private final Clock clock;

  private StepUp(Builder b) {
    this.acr = Collections.unmodifiableSet(new LinkedHashSet<>(b.acr));
    this.amr = Collections.unmodifiableSet(new LinkedHashSet<>(b.amr));
    this.maxAge = b.maxAge;
    this.clock = b.clock;
  }

  /** Starts a requirement; at least one of {@link Builder#acr}, {@link Builder#amr}, {@link Builder#maxAge} is needed. */
  public static Builder builder() {
    return new Builder();
  }

  /** The accepted {@code acr} values, in order of preference (the challenge's {@code acr_values}); may be empty. */
  public Set<String> acrValues() {
    return acr;
  }

  /** The accepted {@code amr} entries; may be empty. */
  public Set<String> amrValues() {
    return amr;
  }

  /** How long ago {@code auth_time} may be, if limited (the challenge's {@code max_age}). */
  public Optional<Duration> maxAge() {
    return Optional.ofNullable(maxAge);
  }

  /** True if the token meets the requirement now. */
  public boolean isSatisfiedBy(VerifiedToken token) {
    return shortfall(Objects.requireNonNull(token, "token")) == null;
  }

  /**
   * Passes, or fails with {@link Reason#INSUFFICIENT_USER_AUTHENTICATION} naming what is missing
   * and carrying the challenge's {@code acr_values} and {@code max_age}.
   */
  public void check(VerifiedToken token) throws TokenValidationException {
    String shortfall = shortfall(Objects.requireNonNull(token, "token"));
    if (shortfall != null) {
      throw TokenValidationException.insufficientUserAuthentication(shortfall,
          acr.isEmpty() ? null : String.join(" ", acr), maxAge == null ? null : maxAge.toSeconds());
    }
  }

  /** What the token lacks, in words for the {@code error_description}; null if nothing. */
  private String shortfall(VerifiedToken token) {
    List<String> problems = new ArrayList<>(2);
    if (!acr.isEmpty() || !amr.isEmpty()) {
      boolean strong = token.authenticationContext().filter(acr::contains).isPresent()
          || token.authenticationMethods().stream().anyMatch(amr::contains);
      if (!strong) {
        problems.add(describeStrength(token));
      }
    }
    if (maxAge != null) {
      Optional<Instant> authTime = token.authenticatedAt();
      if (authTime.isEmpty()) {
        problems.add("the token has no 'auth_time', so it cannot show an authentication within the last "
            + maxAge.toSeconds() + " s");
      } else {
        long age = clock.millis() / 1000 - authTime.get().getEpochSecond();
        if (age > maxAge.toSeconds()) {
          problems.add("the user authenticated " + age + " s ago ('auth_time'), more than the " + maxAge.toSeconds()
              + " s allowed");
        }
      }
    }
    return problems.isEmpty() ? null : String.join("; ", problems) + ": authenticate again";
  }

  private String describeStrength(VerifiedToken token) {
    StringBuilder b = new StringBuilder("the authentication is not strong enough: ");
    b.append(token.authenticationContext().map(v -> "'acr' " + Json.shown(v)).orElse("no 'acr'"));
    if (!amr.isEmpty()) {
      b.append(token.authenticationMethods().isEmpty() ? " and no 'amr'" : " and 'amr' " + token.authenticationMethods());
    }
    b.append(", where ");
    if (!acr.isEmpty()) {
      b.append("'acr' ").append(acr.size() == 1 ? acr.iterator().next() : "one of " + acr);
      if (!amr.isEmpty()) {
        b.append(" or ");
      }
    }
    if (!amr.isEmpty()) {
      b.append("'amr' with ").append(amr.size() == 1 ? amr.iterator().next() : "one of " + amr);
    }
    return b.append(" is required").toString();
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>(3);
    if (!acr.isEmpty()) {
      parts.add("acr " + String.join(" ", acr));
    }
    if (!amr.isEmpty()) {
      parts.add((acr.isEmpty() ? "amr " : "or amr ") + String.join(" ", amr));
    }
    if (maxAge != null) {
      parts.add("authenticated within " + maxAge.toSeconds() + " s");
    }
    return "step-up (" + String.join(", ", parts) + ")";
  }

  /** Configures a {@link StepUp}; fails fast naming the bad setting. */
  public static final class Builder {
    private final List<String> acr = new ArrayList<>();
    private final List<String> amr = new ArrayList<>();
    private Duration maxAge;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Accepted {@code acr} values, most preferred first; they become the challenge's {@code acr_values}. */
    public Builder acr(String... values) {
      for (String v : Objects.requireNonNull(values, "acr")) {
        acr.add(token("acr", v));
      }
      return this;
    }

    /** Accepted {@code amr} entries (such as {@code mfa}); a token whose {@code amr} holds one of them passes too. */
    public Builder amr(String... values) {
      for (String v : Objects.requireNonNull(values, "amr")) {
        amr.add(token("amr", v));
      }
      return this;
    }

    /** How long ago the user may have authenticated ({@code auth_time}); whole seconds, at least one. */
    public Builder maxAge(Duration age) {
      Objects.requireNonNull(age, "maxAge");
      if (age.toSeconds() < 1) {
        throw new IllegalArgumentException("maxAge: must be at least 1 second, got " + age);
      }
      this.maxAge = Duration.ofSeconds(age.toSeconds());
      return this;
    }

    /** The clock for the age check; default {@link Clock#systemUTC()}. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Checks that something is required. */
    public StepUp build() {
      if (acr.isEmpty() && amr.isEmpty() && maxAge == null) {
        throw new IllegalStateException("stepUp: name at least one acr value, amr value or a maximum age");
      }
      return new StepUp(this);
    }

    /** An {@code acr} value is a space-separated list element of {@code acr_values}: no space, printable ASCII. */
    private static String token(String setting, String v) {
      if (v == null || v.isEmpty()) {
        throw new IllegalArgumentException(setting + ": a value must not be empty");
      }
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        if (c < 0x21 || c == '"' || c == '\\' || c > 0x7e) {
          throw new IllegalArgumentException(setting + ": '" + v + "' is not a single value: give each as its own argument"
              + " (no spaces, quotes or backslashes)");
        }
      }
      return v;
    }
  }
}
