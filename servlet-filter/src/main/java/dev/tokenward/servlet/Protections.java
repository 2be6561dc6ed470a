package dev.tokenward.servlet;

import dev.tokenward.core.AnnotatedRequirements;
import dev.tokenward.core.Requirement;
import dev.tokenward.core.StepUp;
import dev.tokenward.core.TokenValidationException;
import dev.tokenward.core.VerifiedToken;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decides what a request needs: the path rule that covers it and the annotations of the servlet that serves it. */
final class Protections {
  private static final Logger log = LoggerFactory.getLogger(Protections.class);

  /** What a request needs: a valid token, perhaps checked online, satisfying the requirement if any. */
  record Protection(Requirement requirement, boolean online) {
    Protection and(Protection other) {
      if (other == null) {
        return this;
      }
      Requirement r = requirement == null ? other.requirement
          : other.requirement == null ? requirement : requirement.and(other.requirement);
      return new Protection(r, online || other.online);
    }

    void check(VerifiedToken token) throws TokenValidationException {
      if (requirement != null) {
        requirement.check(token);
      }
    }
  }

  private final Map<String, Protection> exact = new HashMap<>();
  private final List<PathRule> prefixes = new ArrayList<>(); // longest first
  private final Map<String, Optional<Protection>> byServletClass = new ConcurrentHashMap<>();
  private final List<PathRule> rules;
  private final StepUp stepUp; // what @RequiresStepUp without attributes stands for; may be null

  Protections(List<PathRule> rules) {
    this(rules, null);
  }

  Protections(List<PathRule> rules, StepUp stepUp) {
    this.rules = List.copyOf(rules);
    this.stepUp = stepUp;
    for (PathRule rule : rules) {
      Protection p = new Protection(rule.requirement().orElse(null), rule.onlineCheck());
      if (rule.isPrefix()) {
        prefixes.add(rule);
      } else {
        exact.put(rule.base(), p);
      }
    }
    prefixes.sort(Comparator.comparingInt((PathRule r) -> r.base().length()).reversed());
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
    return (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
  }

  Protection forPath(String path) {
    Protection p = exact.get(PathRule.stripTrailingSlashes(path));
    if (p != null) {
      return p;
    }
    for (PathRule rule : prefixes) {
      String base = rule.base();
      if (path.startsWith(base) && (path.length() == base.length() || path.charAt(base.length()) == '/')) {
        return new Protection(rule.requirement().orElse(null), rule.onlineCheck());
      }
    }
    return null;
  }

  /** The annotations of the servlet the request is mapped to, read once per servlet class. */
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
    return byServletClass.computeIfAbsent(className, name -> Optional.ofNullable(read(load(name, context), stepUp)))
        .orElse(null);
  }

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
    log.warn("servlet class {} cannot be loaded; its tokenward annotations, if any, are not applied", name);
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
    return declared.needsToken() ? new Protection(declared.requirement().orElse(null), declared.online()) : null;
  }

  /** The annotations may also stand on methods (for JAX-RS); on a servlet's {@code doGet} they would silently protect nothing. */
  private static void refuseMethodAnnotations(Class<?> c) {
    for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
      Method[] methods;
      try {
        methods = k.getDeclaredMethods();
      } catch (LinkageError | SecurityException e) {
        log.warn("the methods of servlet class {} cannot be read to look for misplaced tokenward annotations", k.getName());
        continue;
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
          byServletClass.computeIfAbsent(className, name -> Optional.ofNullable(read(load(name, context), stepUp)))
              .map(Protection::requirement).ifPresent(r -> scopes.addAll(r.values()));
        }
      }
    }
    return scopes;
  }
}
