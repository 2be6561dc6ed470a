package dev.tokenward.jaxrs;

import dev.tokenward.core.AnnotatedRequirements;
import dev.tokenward.core.Requirement;
import dev.tokenward.core.SenderConstraint;
import dev.tokenward.core.StepUp;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What one resource method demands, decided once at deployment from its annotations: nothing, a
 * valid token, a valid token that satisfies a {@link Requirement}, or no access at all.
 *
 * <p>The annotations of the method, if it has any, replace those of its class; a method and
 * class without any fall back to the feature's switch. Core's {@link AnnotatedRequirements} reads
 * the tokenward annotations; this class adds {@code jakarta.annotation.security}'s. A
 * contradictory or empty annotation is a deployment error naming the method or class that bears it.
 */
final class AccessRule {
  enum Kind {
    /** No token needed; none is read, so a bad {@code Authorization} header is ignored. */
    PUBLIC,
    /** A valid token, and the requirement if there is one. */
    TOKEN,
    /** {@code @DenyAll}: a valid token, then 403 whatever it grants. */
    DENY,
    /** {@link OptionalAuthentication}: no credentials pass as anonymous; a token present must be valid. */
    OPTIONAL
  }

  /** How a rule was decided: by annotations, by the feature's default for unannotated code, or for a runtime method. */
  enum Source {
    /** Security annotations on the method or its class. */
    ANNOTATED,
    /** No annotation anywhere: {@code protectUnannotated} decided. */
    DEFAULTED,
    /** A method the runtime adds (automatic {@code OPTIONS}): always public. */
    RUNTIME
  }

  final Kind kind;
  final Requirement requirement; // null: any valid token
  final boolean online;
  final String origin; // where the rule comes from, for logs and messages
  final Source source;
  final SenderConstraint senderConstraint; // null: as the issuer's DPoP policy says

  private AccessRule(Kind kind, Requirement requirement, boolean online, String origin) {
    this(kind, requirement, online, origin, Source.ANNOTATED, null);
  }

  private AccessRule(Kind kind, Requirement requirement, boolean online, String origin, Source source) {
    this(kind, requirement, online, origin, source, null);
  }

  private AccessRule(Kind kind, Requirement requirement, boolean online, String origin, Source source,
      SenderConstraint senderConstraint) {
    this.kind = kind;
    this.requirement = requirement;
    this.online = online;
    this.origin = origin;
    this.source = source;
    this.senderConstraint = senderConstraint;
  }

  /**
   * What both rules demand: {@code DENY} if either denies, else a token if either needs one, with
   * both requirements and either's online check. Public only if both are.
   */
  AccessRule and(AccessRule other) {
    String both = origin + " and " + other.origin;
    if (kind == Kind.DENY || other.kind == Kind.DENY) {
      return new AccessRule(Kind.DENY, null, false, both);
    }
    if (kind == Kind.PUBLIC || kind == Kind.OPTIONAL && other.kind != Kind.PUBLIC) {
      return new AccessRule(other.kind, other.requirement, other.online, both, Source.ANNOTATED, other.senderConstraint);
    }
    if (other.kind == Kind.PUBLIC || other.kind == Kind.OPTIONAL) {
      return new AccessRule(kind, requirement, online, both, Source.ANNOTATED, senderConstraint);
    }
    Requirement r = requirement == null ? other.requirement
        : other.requirement == null ? requirement : requirement.and(other.requirement);
    SenderConstraint c = senderConstraint == null ? other.senderConstraint
        : other.senderConstraint == null ? senderConstraint
        : senderConstraint == SenderConstraint.DPOP || other.senderConstraint == SenderConstraint.DPOP
            ? SenderConstraint.DPOP : SenderConstraint.DPOP_OR_MTLS;
    return new AccessRule(Kind.TOKEN, r, online || other.online, both, Source.ANNOTATED, c);
  }

  /**
   * The rule of {@code method} served by {@code resourceClass}.
   *
   * @throws IllegalStateException for a misconfigured annotation, naming it and the method
   */
  static AccessRule of(Class<?> resourceClass, Method method, boolean protectUnannotated) {
    return of(resourceClass, method, protectUnannotated, null);
  }

  /** As {@link #of(Class, Method, boolean)}, with the policy a {@code @RequiresStepUp} without attributes stands for. */
  static AccessRule of(Class<?> resourceClass, Method method, boolean protectUnannotated, StepUp stepUp) {
    try {
      return decide(resourceClass, method, protectUnannotated, stepUp);
    } catch (IllegalArgumentException e) { // core's check of a tokenward annotation, naming it and its element
      throw new IllegalStateException("tokenward: " + e.getMessage());
    }
  }

  private static AccessRule decide(Class<?> resourceClass, Method method, boolean protectUnannotated, StepUp stepUp) {
    String methodName = resourceClass.getName() + "." + method.getName();
    Method impl = implementation(resourceClass, method);
    Annotations onMethod = Annotations.of(impl, stepUp);
    if (onMethod.isEmpty()) { // as with JAX-RS annotations: those of the method it overrides or implements
      onMethod = inherited(impl.getDeclaringClass(), impl, stepUp);
    }
    if (!onMethod.isEmpty()) {
      return onMethod.rule("method " + methodName);
    }
    Annotations onClass = Annotations.of(resourceClass, stepUp);
    if (!onClass.isEmpty()) {
      return onClass.rule("class " + resourceClass.getName() + " (for " + methodName + ")");
    }
    if (isRuntimeProvided(resourceClass, impl, method)) {
      // such as Jersey's automatic OPTIONS answer: a CORS preflight never carries a token
      return new AccessRule(Kind.PUBLIC, null, false, "runtime-provided " + methodName, Source.RUNTIME);
    }
    return unannotated(methodName, protectUnannotated);
  }

  /**
   * Fails deployment where the rule asks for what the validator can never enforce: DPoP
   * ({@code @RequiresDpop}) while DPoP is off for one of its issuers.
   *
   * @throws IllegalStateException naming the annotated element and the issuers with DPoP off
   */
  AccessRule checkEnforceableBy(dev.tokenward.core.AccessTokenValidator validator) {
    if (senderConstraint != null && validator != null) {
      try {
        senderConstraint.checkEnforceableBy(validator, origin);
      } catch (IllegalStateException e) {
        throw new IllegalStateException("tokenward: " + e.getMessage(), e);
      }
    }
    return this;
  }

  /** The feature's default for code without any security annotation. */
  static AccessRule unannotated(String what, boolean protectUnannotated) {
    return protectUnannotated
        ? new AccessRule(Kind.TOKEN, null, false, "unannotated " + what + ", protected by default", Source.DEFAULTED)
        : new AccessRule(Kind.PUBLIC, null, false, "unannotated " + what + ", public by default", Source.DEFAULTED);
  }

  /** The first security annotations on a method {@code method} overrides, superclasses first, then interfaces. */
  private static Annotations inherited(Class<?> type, Method method, StepUp stepUp) {
    List<Class<?>> supertypes = new ArrayList<>();
    if (type.getSuperclass() != null && type.getSuperclass() != Object.class) {
      supertypes.add(type.getSuperclass());
    }
    supertypes.addAll(Arrays.asList(type.getInterfaces()));
    for (Class<?> supertype : supertypes) {
      try {
        Annotations found = Annotations.of(supertype.getDeclaredMethod(method.getName(), method.getParameterTypes()), stepUp);
        if (!found.isEmpty()) {
          return found;
        }
      } catch (NoSuchMethodException e) {
        // not declared here: look further up
      }
      Annotations found = inherited(supertype, method, stepUp);
      if (!found.isEmpty()) {
        return found;
      }
    }
    return Annotations.NONE;
  }

  /**
   * True for a method the runtime adds by itself, such as Jersey's automatic {@code OPTIONS}
   * answers: a class of the runtime's own packages whose method has no {@code @GET},
   * {@code @POST}, ... nor {@code @Path}. Anything else, programmatic resources included, is
   * the application's.
   */
  private static boolean isRuntimeProvided(Class<?> resourceClass, Method impl, Method method) {
    String name = resourceClass.getName();
    boolean runtimeClass = false;
    for (String prefix : RUNTIME_PACKAGES) {
      runtimeClass |= name.startsWith(prefix);
    }
    return runtimeClass && !isResourceMethod(impl) && !isResourceMethod(method);
  }

  private static final List<String> RUNTIME_PACKAGES =
      List.of("org.glassfish.jersey.", "org.jboss.resteasy.", "org.apache.cxf.");

  /** True for a method with {@code @GET}, {@code @POST}, ... or {@code @Path}. */
  private static boolean isResourceMethod(Method method) {
    if (method.isAnnotationPresent(Path.class)) {
      return true;
    }
    for (Annotation a : method.getAnnotations()) {
      if (a.annotationType().isAnnotationPresent(HttpMethod.class)) {
        return true;
      }
    }
    return false;
  }

  /** The method of the concrete resource class that implements {@code method}, if it can be found. */
  private static Method implementation(Class<?> resourceClass, Method method) {
    if (method.getDeclaringClass() == resourceClass) {
      return method;
    }
    try {
      return resourceClass.getMethod(method.getName(), method.getParameterTypes());
    } catch (NoSuchMethodException | SecurityException e) {
      return method;
    }
  }

  @Override
  public String toString() {
    return switch (kind) {
      case PUBLIC -> "public";
      case DENY -> "deny all";
      case OPTIONAL -> "a valid token if one is present";
      case TOKEN -> (requirement == null ? "any valid token" : "a valid token with " + requirement)
          + (online ? ", checked online" : "")
          + (senderConstraint == SenderConstraint.DPOP ? ", DPoP-bound"
              : senderConstraint != null ? ", sender-constrained (DPoP or mTLS)" : "");
    } + " [" + origin + "]";
  }

  /** The security annotations present on one class or method. */
  private static final class Annotations {
    private final AnnotatedRequirements tokenward;
    private final boolean permitAll;
    private final boolean denyAll;
    private final String[] rolesAllowed; // null when absent
    private final boolean optional;

    /** @throws IllegalArgumentException for a misconfigured tokenward annotation */
    private Annotations(AnnotatedElement e, StepUp stepUp) {
      this.tokenward = AnnotatedRequirements.from(e, stepUp);
      this.permitAll = Jsr250.PRESENT && Jsr250.permitAll(e);
      this.denyAll = Jsr250.PRESENT && Jsr250.denyAll(e);
      this.rolesAllowed = Jsr250.PRESENT ? Jsr250.rolesAllowed(e) : null;
      this.optional = e.isAnnotationPresent(OptionalAuthentication.class);
    }

    static final Annotations NONE = new Annotations(Object.class, null);

    static Annotations of(AnnotatedElement e, StepUp stepUp) {
      return new Annotations(e, stepUp);
    }

    boolean isEmpty() {
      return !tokenward.needsToken() && !permitAll && !denyAll && rolesAllowed == null && !optional;
    }

    AccessRule rule(String where) {
      List<String> requiring = new ArrayList<>(tokenward.annotations());
      if (rolesAllowed != null) {
        requiring.add("@RolesAllowed");
      }
      if (permitAll && denyAll) {
        throw misconfigured(where, "@PermitAll and @DenyAll contradict each other: keep one");
      }
      if ((permitAll || denyAll) && !requiring.isEmpty()) {
        throw misconfigured(where, (permitAll ? "@PermitAll" : "@DenyAll") + " contradicts "
            + String.join(", ", requiring) + ": keep one");
      }
      if (optional) {
        if (permitAll || denyAll || !requiring.isEmpty()) {
          requiring.add(0, permitAll ? "@PermitAll" : denyAll ? "@DenyAll" : "");
          requiring.removeIf(String::isEmpty);
          throw misconfigured(where, "@OptionalAuthentication contradicts " + String.join(", ", requiring)
              + ": keep one");
        }
        return new AccessRule(Kind.OPTIONAL, null, false, "@OptionalAuthentication on " + where);
      }
      if (permitAll) {
        return new AccessRule(Kind.PUBLIC, null, false, "@PermitAll on " + where);
      }
      if (denyAll) {
        return new AccessRule(Kind.DENY, null, false, "@DenyAll on " + where);
      }
      Requirement requirement = tokenward.requirement().orElse(null);
      if (rolesAllowed != null) {
        requirement = requirement == null ? roles(where) : requirement.and(roles(where));
      }
      return new AccessRule(Kind.TOKEN, requirement, tokenward.online(), String.join(" ", requiring) + " on " + where,
          Source.ANNOTATED, tokenward.senderConstraint().orElse(null));
    }

    /** Jakarta semantics: any one of the roles; a role is a granted scope or permission. */
    private Requirement roles(String where) {
      if (rolesAllowed.length == 0) {
        throw misconfigured(where, "@RolesAllowed({}) names no role; use @DenyAll to close a resource");
      }
      try {
        return Requirement.of(Requirement.Match.ANY, Requirement.Source.SCOPE_OR_PERMISSION, Arrays.asList(rolesAllowed));
      } catch (IllegalArgumentException | NullPointerException e) {
        throw misconfigured(where, "@RolesAllowed: " + e.getMessage());
      }
    }

    private static IllegalStateException misconfigured(String where, String problem) {
      return new IllegalStateException("tokenward: misconfigured security annotation on " + where + ": " + problem);
    }
  }

  /**
   * {@code jakarta.annotation.security} is optional at run time: a runtime without it cannot
   * carry its annotations either, so they are simply not looked for.
   */
  private static final class Jsr250 {
    static final boolean PRESENT = present();

    private static boolean present() {
      try {
        Class.forName("jakarta.annotation.security.RolesAllowed", false, AccessRule.class.getClassLoader());
        return true;
      } catch (ClassNotFoundException | LinkageError e) {
        return false;
      }
    }

    static boolean permitAll(AnnotatedElement e) {
      return e.isAnnotationPresent(jakarta.annotation.security.PermitAll.class);
    }

    static boolean denyAll(AnnotatedElement e) {
      return e.isAnnotationPresent(jakarta.annotation.security.DenyAll.class);
    }

    static String[] rolesAllowed(AnnotatedElement e) {
      Annotation a = e.getAnnotation(jakarta.annotation.security.RolesAllowed.class);
      return a == null ? null : ((jakarta.annotation.security.RolesAllowed) a).value();
    }
  }
}
