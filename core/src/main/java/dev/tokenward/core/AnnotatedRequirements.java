package dev.tokenward.core;

import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the tokenward annotations on one class or method demand: {@link Authenticated},
 * {@link RequiresScopes}, {@link RequiresPermissions}, {@link RequiresGrants} and
 * {@link RequiresStepUp}, and the sender constraints {@link RequiresDpop} and
 * {@link RequiresSenderConstrained}, read with
 * {@link AnnotatedElement#getAnnotation} (so a class also gets its superclasses' annotations).
 * The filters call {@link #from} once per class or method and decide where it applies.
 *
 * <pre>{@code
 * AnnotatedRequirements needs = AnnotatedRequirements.from(MessagesServlet.class);
 * if (needs.needsToken()) {
 *   VerifiedToken token = needs.online() ? validator.validateOnline(raw) : validator.validate(raw);
 *   Optional<Requirement> requirement = needs.requirement();
 *   if (requirement.isPresent()) {
 *     requirement.get().check(token); // 403 insufficient_scope if the token falls short
 *   }
 * }
 * }</pre>
 */
public final class AnnotatedRequirements {
  private final List<String> annotations;
  private final Requirement requirement; // null: any valid token
  private final boolean online;
  private final SenderConstraint senderConstraint; // null: as the issuer's DPoP policy says

  private AnnotatedRequirements(List<String> annotations, Requirement requirement, boolean online,
      SenderConstraint senderConstraint) {
    this.annotations = List.copyOf(annotations);
    this.requirement = requirement;
    this.online = online;
    this.senderConstraint = senderConstraint;
  }

  /**
   * Reads the tokenward annotations of {@code element}: the {@code Requires*} ones must all hold (in
   * the order scopes, permissions, grants), and the online check is asked for if any of them
   * asks for it.
   *
   * @throws IllegalArgumentException for an annotation with no value, an empty value or a value
   *     that is not a single scope (such as {@code "read write"}), naming the element and the annotation
   */
  public static AnnotatedRequirements from(AnnotatedElement element) {
    return from(element, null);
  }

  /**
   * Like {@link #from(AnnotatedElement)}, with the step-up policy that a {@link RequiresStepUp}
   * without attributes stands for (the filter's configured one; null if none is configured).
   *
   * @throws IllegalArgumentException also for a {@code @RequiresStepUp} without attributes when
   *     {@code configuredStepUp} is null, and for a negative {@code maxAgeSeconds}
   */
  public static AnnotatedRequirements from(AnnotatedElement element, StepUp configuredStepUp) {
    Objects.requireNonNull(element, "element");
    Reader r = new Reader(element);
    Authenticated authenticated = element.getAnnotation(Authenticated.class);
    if (authenticated != null) {
      r.found.add("@Authenticated");
      r.online = authenticated.online();
    }
    RequiresScopes scopes = element.getAnnotation(RequiresScopes.class);
    if (scopes != null) {
      r.add("@RequiresScopes", scopes.match(), Requirement.Source.SCOPE, scopes.value(), scopes.online());
    }
    RequiresPermissions permissions = element.getAnnotation(RequiresPermissions.class);
    if (permissions != null) {
      r.add("@RequiresPermissions", permissions.match(), Requirement.Source.PERMISSION, permissions.value(),
          permissions.online());
    }
    RequiresGrants grants = element.getAnnotation(RequiresGrants.class);
    if (grants != null) {
      r.add("@RequiresGrants", grants.match(), Requirement.Source.SCOPE_OR_PERMISSION, grants.value(),
          grants.online());
    }
    RequiresStepUp stepUp = element.getAnnotation(RequiresStepUp.class);
    if (stepUp != null) {
      r.addStepUp(stepUp, configuredStepUp);
    }
    boolean dpop = element.isAnnotationPresent(RequiresDpop.class);
    boolean constrained = element.isAnnotationPresent(RequiresSenderConstrained.class);
    if (dpop && constrained) {
      throw r.misconfigured("@RequiresDpop already demands a sender-constrained token, and only the DPoP kind; "
          + "@RequiresSenderConstrained beside it would read as if mTLS were accepted too: keep one");
    }
    SenderConstraint constraint = null;
    if (dpop) {
      r.found.add("@RequiresDpop");
      constraint = SenderConstraint.DPOP;
    } else if (constrained) {
      r.found.add("@RequiresSenderConstrained");
      constraint = SenderConstraint.DPOP_OR_MTLS;
    }
    return new AnnotatedRequirements(r.found, r.requirement, r.online, constraint);
  }

  /** True if any of the annotations is present: a request then needs a valid token (else 401). */
  public boolean needsToken() {
    return !annotations.isEmpty();
  }

  /** What the token must grant (every {@code Requires*} annotation together), or empty for any valid token. */
  public Optional<Requirement> requirement() {
    return Optional.ofNullable(requirement);
  }

  /** True if any annotation asks to check the token online with the issuer (revocation). */
  public boolean online() {
    return online;
  }

  /**
   * How the token must be presented ({@link RequiresDpop @RequiresDpop}: DPoP;
   * {@link RequiresSenderConstrained @RequiresSenderConstrained}: DPoP or mTLS); empty when the
   * issuer's DPoP policy decides alone.
   */
  public Optional<SenderConstraint> senderConstraint() {
    return Optional.ofNullable(senderConstraint);
  }

  /** The annotations found, such as {@code [@Authenticated, @RequiresScopes]}, for messages and logs. */
  public List<String> annotations() {
    return annotations;
  }

  @Override
  public String toString() {
    if (!needsToken()) {
      return "no tokenward annotation";
    }
    return (requirement == null ? "any valid token" : "a valid token with " + requirement)
        + (online ? ", checked online" : "")
        + (senderConstraint == SenderConstraint.DPOP ? ", DPoP-bound" : senderConstraint != null ? ", sender-constrained" : "")
        + " (" + String.join(" ", annotations) + ")";
  }

  /** Collects the annotations of one element. */
  private static final class Reader {
    private final AnnotatedElement element;
    private final List<String> found = new ArrayList<>(4);
    private Requirement requirement;
    private boolean online;

    Reader(AnnotatedElement element) {
      this.element = element;
    }

    void add(String annotation, Requirement.Match match, Requirement.Source source, String[] values,
        boolean online) {
      found.add(annotation);
      this.online |= online;
      if (values.length == 0) {
        throw misconfigured(annotation + " names no value: give at least one, one per element");
      }
      Requirement r;
      try {
        r = Requirement.of(match, source, Arrays.asList(values));
      } catch (IllegalArgumentException e) { // an empty value, or several in one
        throw misconfigured(annotation + ": " + e.getMessage());
      }
      requirement = requirement == null ? r : requirement.and(r);
    }

    void addStepUp(RequiresStepUp a, StepUp configured) {
      found.add("@RequiresStepUp");
      this.online |= a.online();
      StepUp s;
      if (a.acr().length == 0 && a.amr().length == 0 && a.maxAgeSeconds() == 0) {
        if (configured == null) {
          throw misconfigured("@RequiresStepUp names no acr, amr or maxAgeSeconds, and no step-up policy is "
              + "configured on the filter (stepUp(...)) for it to stand for");
        }
        s = configured;
      } else {
        if (a.maxAgeSeconds() < 0) {
          throw misconfigured("@RequiresStepUp maxAgeSeconds must be positive (0 for no limit), got " + a.maxAgeSeconds());
        }
        try {
          StepUp.Builder b = StepUp.builder().acr(a.acr()).amr(a.amr());
          if (a.maxAgeSeconds() > 0) {
            b.maxAge(java.time.Duration.ofSeconds(a.maxAgeSeconds()));
          }
          s = b.build();
        } catch (IllegalArgumentException e) {
          throw misconfigured("@RequiresStepUp " + e.getMessage());
        }
      }
      Requirement r = Requirement.stepUp(s);
      requirement = requirement == null ? r : requirement.and(r);
    }

    private IllegalArgumentException misconfigured(String problem) {
      return new IllegalArgumentException("misconfigured security annotation on " + describe(element) + ": " + problem);
    }
  }

  private static String describe(AnnotatedElement element) {
    if (element instanceof Class<?> c) {
      return "class " + c.getName();
    }
    if (element instanceof Method m) {
      return "method " + m.getDeclaringClass().getName() + "." + m.getName();
    }
    return element.toString();
  }
}
