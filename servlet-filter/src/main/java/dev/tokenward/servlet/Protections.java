package dev.tokenward.servlet;

import dev.tokenward.core.AccessTokenValidator;
import dev.tokenward.core.AnnotatedRequirements;
import dev.tokenward.core.Requirement;
import dev.tokenward.core.SenderConstraint;
import dev.tokenward.core.StepUp;
import dev.tokenward.core.TokenValidationException;
import dev.tokenward.core.VerifiedToken;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decides what a request needs: the path rule that covers it and the annotations of the servlet that serves it. */
final class Protections {
  private static final Logger log = LoggerFactory.getLogger(Protections.class);

  /**
   * What a request needs: a valid token, perhaps checked online, satisfying the requirement if any,
   * presented as the sender constraint says if there is one (null: as the issuer's DPoP policy says);
   * with {@code optional}, no token at all will do too (a token that is present must be valid).
   */
  record Protection(Requirement requirement, boolean online, SenderConstraint senderConstraint, boolean optional) {
    Protection(Requirement requirement, boolean online) {
      this(requirement, online, null);
    }

    Protection(Requirement requirement, boolean online, SenderConstraint senderConstraint) {
      this(requirement, online, senderConstraint, false);
    }

    Protection and(Protection other) {
      if (other == null) {
        return this;
      }
      Requirement r = requirement == null ? other.requirement
          : other.requirement == null ? requirement : requirement.and(other.requirement);
      SenderConstraint c = senderConstraint == null ? other.senderConstraint
          : other.senderConstraint == null ? senderConstraint
          : senderConstraint == SenderConstraint.DPOP || other.senderConstraint == SenderConstraint.DPOP
              ? SenderConstraint.DPOP : SenderConstraint.DPOP_OR_MTLS;
      return new Protection(r, online || other.online, c, optional && other.optional); // a token demanded anywhere is demanded
    }

    void check(VerifiedToken token) throws TokenValidationException {
      if (requirement != null) {
        requirement.check(token);
      }
    }
  }

  private final Map<String, Protection> exact = new HashMap<>();
  private final List<PathRule> prefixes = new ArrayList<>(); // longest first
  private final Map<PathRule, Protection> byRule = new java.util.IdentityHashMap<>();
  private final Map<String, ServletRule> byServletClass = new ConcurrentHashMap<>();
  private final List<PathRule> rules;
  private final StepUp stepUp; // what @RequiresStepUp without attributes stands for; may be null
  private final AccessTokenValidator validator; // to refuse @RequiresDpop it could never enforce; may be null in tests

  /**
   * What a servlet class's annotations ask for (null: nothing), or why they cannot be known: a
   * class that cannot be loaded, or a misconfigured annotation. Unknown fails closed.
   */
  private record ServletRule(Protection protection, String failure, boolean unenforceable) {
    ServletRule(Protection protection, String failure) {
      this(protection, failure, false);
    }
  }

  Protections(List<PathRule> rules) {
    this(rules, null);
  }

  Protections(List<PathRule> rules, StepUp stepUp) {
    this(rules, stepUp, null);
  }

  /**
   * @throws IllegalArgumentException naming the rule, for a {@code step-up} rule without a step-up policy
   */
  Protections(List<PathRule> rules, StepUp stepUp, AccessTokenValidator validator) {
    this.rules = List.copyOf(rules);
    this.stepUp = stepUp;
    this.validator = validator;
    for (PathRule rule : rules) {
      Protection p = protection(rule, stepUp);
      byRule.put(rule, p);
      if (rule.isPrefix()) {
        prefixes.add(rule);
      } else {
        exact.put(rule.base(), p);
      }
    }
    prefixes.sort(Comparator.comparingInt((PathRule r) -> r.base().length()).reversed());
  }

  /**
   * Warnings for exact rules that leave paths of a wildcard-mapped servlet uncovered: an exact rule
   * {@code /orders} with a servlet at {@code /orders/*} protects {@code /orders} but not
   * {@code /orders/42}, unless a prefix rule covers the paths below it.
   *
   * @param mappings each servlet's URL patterns, by servlet name
   */
  List<String> exactRulesUnderWildcardMappings(Map<String, ? extends Collection<String>> mappings) {
    List<String> warnings = new ArrayList<>();
    for (String rule : new TreeSet<>(exact.keySet())) {
      if (forPath(rule + "/x") != null) {
        continue; // a prefix rule covers the paths below it
      }
      for (Map.Entry<String, ? extends Collection<String>> servlet : new TreeMap<>(mappings).entrySet()) {
        for (String mapping : servlet.getValue()) {
          if (mapping == null || !mapping.endsWith("/*")) {
            continue;
          }
          String base = mapping.substring(0, mapping.length() - 2);
          if (rule.equals(base) || rule.startsWith(base + "/")) {
            warnings.add("tokenward: the rule for " + rule + " is exact, but servlet '" + servlet.getKey()
                + "' is mapped to " + mapping + ", so " + rule + "/... reaches it without that rule; use " + rule
                + "/* to cover " + rule + " and every path below it");
          }
        }
      }
    }
    return warnings;
  }

  /** What the request needs, or null if nothing covers it. */
  Protection forRequest(HttpServletRequest request) {
    String path = pathWithinApplication(request);
    Protection byPath = forPath(path);
    Protection byServlet = forServlet(request);
    return byPath == null ? byServlet : byPath.and(byServlet);
  }

  static String pathWithinApplication(HttpServletRequest request) {
    String servletPath = request.getServletPath();
    String pathInfo = request.getPathInfo();
    if (pathInfo == null) { // an exact servlet mapping: no string built per request
      return servletPath == null ? "" : servletPath;
    }
    return (servletPath == null ? "" : servletPath) + pathInfo;
  }

  Protection forPath(String path) {
    Protection p = exact.get(PathRule.stripTrailingSlashes(path));
    if (p != null) {
      return p;
    }
    for (PathRule rule : prefixes) {
      String base = rule.base();
      if (path.startsWith(base) && (path.length() == base.length() || path.charAt(base.length()) == '/')) {
        return byRule.get(rule);
      }
    }
    return null;
  }

  private static Protection protection(PathRule rule, StepUp configuredStepUp) {
    Requirement requirement = rule.requirement().orElse(null);
    if (rule.stepUp()) {
      if (configuredStepUp == null) {
        throw new IllegalArgumentException("path rule " + rule + ": 'step-up' stands for the filter's step-up policy "
            + "(RFC 9470), and none is configured: set TOKENWARD_STEP_UP_ACR and/or TOKENWARD_STEP_UP_MAX_AGE_SECONDS "
            + "(init-params step-up-acr, step-up-max-age-seconds), or give the builder stepUp(StepUp)");
      }
      Requirement s = Requirement.stepUp(configuredStepUp);
      requirement = requirement == null ? s : requirement.and(s);
    }
    return new Protection(requirement, rule.onlineCheck(), rule.senderConstraint().orElse(null),
        rule.optionalAuthentication());
  }

  /**
   * Reads the annotations of every registered servlet class at start-up, so that one asking for what
   * the validator can never enforce ({@code @RequiresDpop} where DPoP is off) stops the filter now.
   * A class that cannot be loaded, or a misconfigured annotation, fails its requests with 500 as at
   * any other time (logged now).
   *
   * @throws IllegalStateException naming the servlet class and the issuers with DPoP off
   */
  void checkAnnotatedServlets(ServletContext context) {
    Map<String, ? extends ServletRegistration> registrations;
    try {
      registrations = context.getServletRegistrations();
    } catch (RuntimeException e) { // UnsupportedOperationException from a context that hides them
      return;
    }
    for (ServletRegistration registration : registrations.values()) {
      String className = registration.getClassName();
      if (className != null) {
        ServletRule rule = byServletClass.computeIfAbsent(className, name -> decide(name, registration.getName(), context));
        if (rule.unenforceable) {
          throw new IllegalStateException(rule.failure);
        }
      }
    }
  }

  /**
   * The annotations of the servlet the request is mapped to, read once per servlet class.
   *
   * @throws IllegalStateException naming the servlet class when its annotations cannot be known
   *     (the class cannot be loaded, or an annotation is misconfigured): the request fails with 500
   *     rather than reach a servlet whose protection is unknown
   */
  private Protection forServlet(HttpServletRequest request) {
    HttpServletMapping mapping = request.getHttpServletMapping();
    if (mapping == null || mapping.getServletName() == null) {
      return null;
    }
    ServletContext context = request.getServletContext();
    ServletRegistration registration = context.getServletRegistration(mapping.getServletName());
    String className = registration == null ? null : registration.getClassName();
    if (className == null) {
      return null;
    }
    ServletRule rule = byServletClass.get(className); // decided once per class: no lambda made per request
    if (rule == null) {
      rule = byServletClass.computeIfAbsent(className, name -> decide(name, mapping.getServletName(), context));
    }
    if (rule.failure != null) {
      throw new IllegalStateException(rule.failure);
    }
    return rule.protection;
  }

  private ServletRule decide(String className, String servletName, ServletContext context) {
    Class<?> c = load(className, context);
    if (c == null) {
      String failure = "tokenward: servlet class " + className + " (servlet '" + servletName + "') cannot be loaded by "
          + "the web application's class loader, the thread's context class loader nor tokenward's, so its security "
          + "annotations cannot be read: its requests are refused with 500. Make the class visible to the web "
          + "application's class loader, or protect its paths with path rules and no annotations";
      log.error(failure);
      return new ServletRule(null, failure);
    }
    Protection p;
    try {
      p = read(c, stepUp);
    } catch (IllegalStateException e) {
      log.error("{}: requests to servlet '{}' are refused with 500", e.getMessage(), servletName);
      return new ServletRule(null, e.getMessage());
    }
    try {
      if (p != null && p.senderConstraint() != null && validator != null) {
        p.senderConstraint().checkEnforceableBy(validator, "@RequiresDpop on servlet class " + className);
      }
      return new ServletRule(p, null);
    } catch (IllegalStateException e) {
      String failure = "tokenward: " + e.getMessage();
      log.error("{}: requests to servlet '{}' are refused with 500", failure, servletName);
      return new ServletRule(null, failure, true);
    }
  }

  /** The class, or null if no loader can load it. */
  private static Class<?> load(String name, ServletContext context) {
    List<ClassLoader> loaders = new ArrayList<>();
    try {
      loaders.add(context.getClassLoader());
    } catch (SecurityException | UnsupportedOperationException e) {
      // not allowed to see it: try the others
    }
    loaders.add(Thread.currentThread().getContextClassLoader());
    loaders.add(Protections.class.getClassLoader());
    for (ClassLoader loader : loaders) {
      if (loader != null) {
        try {
          return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
          // next loader
        }
      }
    }
    return null;
  }

  /**
   * The requirement declared by a servlet class's annotations, or null if it has none.
   *
   * @throws IllegalStateException for a misconfigured annotation, naming it and the class, and for
   *     one on a method (such as {@code doGet}): the filter would not honour it, so it fails closed
   */
  static Protection read(Class<?> c) {
    return read(c, null);
  }

  /** As {@link #read(Class)}, with the policy a {@code @RequiresStepUp} without attributes stands for. */
  static Protection read(Class<?> c, StepUp configuredStepUp) {
    if (c == null) {
      return null;
    }
    AnnotatedRequirements declared;
    try {
      declared = AnnotatedRequirements.from(c, configuredStepUp);
      refuseMethodAnnotations(c);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("tokenward: " + e.getMessage(), e);
    }
    return declared.needsToken() ? new Protection(declared.requirement().orElse(null), declared.online(),
        declared.senderConstraint().orElse(null)) : null;
  }

  /** The annotations may also stand on methods (for JAX-RS); on a servlet's {@code doGet} they would silently protect nothing. */
  private static void refuseMethodAnnotations(Class<?> c) {
    for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
      Method[] methods;
      try {
        methods = k.getDeclaredMethods();
      } catch (LinkageError | SecurityException e) {
        throw new IllegalStateException("tokenward: the methods of servlet class " + k.getName() + " cannot be read ("
            + e + ") to look for misplaced tokenward annotations", e);
      }
      for (Method m : methods) {
        AnnotatedRequirements onMethod = AnnotatedRequirements.from(m);
        if (onMethod.needsToken()) {
          throw new IllegalStateException("tokenward: " + String.join(" ", onMethod.annotations()) + " on method "
              + k.getName() + "." + m.getName() + " is not honoured by the servlet filter: annotate the servlet class");
        }
      }
    }
  }

  /**
   * The scopes and permissions the path rules and the annotations of every registered servlet
   * name, for the metadata's {@code scopes_supported}; the annotations are read as for a request.
   */
  Set<String> scopesNamed(ServletContext context) {
    Set<String> scopes = new LinkedHashSet<>();
    for (PathRule rule : rules) {
      rule.requirement().ifPresent(r -> scopes.addAll(r.values()));
    }
    if (context != null) {
      for (ServletRegistration registration : context.getServletRegistrations().values()) {
        String className = registration.getClassName();
        if (className != null) {
          ServletRule rule = byServletClass.computeIfAbsent(className,
              name -> decide(name, registration.getName(), context));
          if (rule.failure != null) { // fail closed here too: a list without its scopes would mislead clients
            throw new IllegalStateException(rule.failure);
          }
          if (rule.protection != null && rule.protection.requirement() != null) {
            scopes.addAll(rule.protection.requirement().values());
          }
        }
      }
    }
    return scopes;
  }
}
