package dev.tokenward.jaxrs;

import dev.tokenward.core.StepUp;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.UriInfo;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules of the sub-resource locators that led to a request, decided when the request arrives.
 *
 * <p>Jersey and RESTEasy never show a locator method to a {@code DynamicFeature}, so an annotation
 * on a locator, or on the class that declares it, cannot be bound at deployment. After matching,
 * {@link UriInfo#getMatchedResources()} names the chain of resource instances (root first once
 * reversed); for each step this class finds the locators of the parent's class that can return the
 * child, keeps those whose {@code @Path} template matches the next part of the request path, and
 * reads their rules with {@link AccessRule#of}. Every rule met on the way must hold, together with
 * the resource method's own. If the step stays ambiguous, every candidate's rule must hold (fail
 * closed); if no locator of the parent can return the child, the request cannot be decided and the
 * caller refuses it.
 */
final class LocatorChain {
  /** A locator method, its path template as a regex that must match a prefix of the remaining path, and its rule. */
  private record Locator(Method method, Pattern template, AccessRule rule) {}

  private final boolean protectUnannotated;
  private final StepUp stepUp;
  private final dev.tokenward.core.AccessTokenValidator validator; // to refuse @RequiresDpop it cannot enforce; may be null
  private final Map<Class<?>, List<Locator>> locatorsByClass = new ConcurrentHashMap<>();
  private final Map<Class<?>, Pattern> rootTemplates = new ConcurrentHashMap<>();

  LocatorChain(boolean protectUnannotated) {
    this(protectUnannotated, null);
  }

  /** With the policy a {@code @RequiresStepUp} without attributes stands for (null: none configured). */
  LocatorChain(boolean protectUnannotated, StepUp stepUp) {
    this(protectUnannotated, stepUp, null);
  }

  /** As above, refusing a locator rule that asks for DPoP where {@code validator} has it off (null: no such check). */
  LocatorChain(boolean protectUnannotated, StepUp stepUp, dev.tokenward.core.AccessTokenValidator validator) {
    this.protectUnannotated = protectUnannotated;
    this.stepUp = stepUp;
    this.validator = validator;
  }

  /**
   * Reads the rules of every locator of {@code resourceClass}, at deployment where the class is
   * seen, so that a misconfigured annotation on a locator stops the deployment.
   *
   * @throws IllegalStateException naming the locator method and the problem
   */
  void check(Class<?> resourceClass) {
    locators(resourceClass);
  }

  /**
   * What a request needs: {@code own} (the resource method's rule) and the rule of every locator
   * on the way to it. Annotations anywhere on the chain make it annotated; only a chain without any
   * falls back to the feature's {@code protectUnannotated}, which {@code own} then carries.
   *
   * @param matched {@link UriInfo#getMatchedResources()}: the current resource first, the root last
   * @throws IllegalStateException if a step of the chain cannot be explained by a locator
   */
  AccessRule effective(UriInfo uriInfo, List<Object> matched, AccessRule own) {
    if (own.source == AccessRule.Source.RUNTIME) {
      return own;
    }
    List<Class<?>> chain = new ArrayList<>(matched.size());
    for (int i = matched.size() - 1; i >= 0; i--) {
      chain.add(matched.get(i).getClass());
    }
    String rest = remainderAfterRoot(chain.get(0), uriInfo.getPath(false));
    AccessRule annotated = null;
    for (int i = 0; i + 1 < chain.size(); i++) {
      Class<?> parent = chain.get(i);
      Class<?> child = chain.get(i + 1);
      List<Locator> candidates = new ArrayList<>();
      for (Locator l : locators(parent)) {
        Class<?> returns = l.method.getReturnType();
        if (returns.isAssignableFrom(child) || returns == Class.class) {
          candidates.add(l);
        }
      }
      if (candidates.isEmpty()) {
        throw new IllegalStateException("tokenward: no sub-resource locator of " + parent.getName() + " returns "
            + child.getName() + ", so the rules on the way to it cannot be known; the request is refused");
      }
      List<Locator> matching = new ArrayList<>();
      Matcher found = null;
      if (rest != null) {
        for (Locator l : candidates) {
          Matcher m = l.template.matcher(rest);
          if (m.lookingAt()) {
            matching.add(l);
            found = m;
          }
        }
      }
      if (matching.size() == 1) {
        rest = stripSlashes(rest.substring(found.end()));
      } else {
        matching = matching.isEmpty() ? candidates : matching; // cannot tell which: all of them must hold
        rest = null;
      }
      for (Locator l : matching) {
        if (l.rule.source == AccessRule.Source.ANNOTATED) {
          annotated = annotated == null ? l.rule : annotated.and(l.rule);
        }
      }
    }
    if (own.source == AccessRule.Source.ANNOTATED) {
      annotated = annotated == null ? own : annotated.and(own);
    }
    return annotated == null ? own : annotated;
  }

  /** The request path after the root resource's template, or null if it cannot be told. */
  private String remainderAfterRoot(Class<?> root, String path) {
    Pattern template = rootTemplates.computeIfAbsent(root, c -> {
      Path p = findPath(c);
      return p == null ? Pattern.compile("(?!)") : compile(p.value());
    });
    String p = stripSlashes(path == null ? "" : path);
    Matcher m = template.matcher(p);
    return m.lookingAt() ? stripSlashes(p.substring(m.end())) : null;
  }

  private List<Locator> locators(Class<?> resourceClass) {
    return locatorsByClass.computeIfAbsent(resourceClass, c -> {
      List<Locator> found = new ArrayList<>();
      for (Method m : c.getMethods()) {
        if (m.isBridge() || m.isSynthetic() || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class) {
          continue;
        }
        Path path = locatorPath(m);
        if (path != null) {
          found.add(new Locator(m, compile(path.value()),
              AccessRule.of(c, m, protectUnannotated, stepUp).checkEnforceableBy(validator)));
        }
      }
      return List.copyOf(found);
    });
  }

  /** The {@code @Path} of a locator (on the method or the one it overrides), or null if {@code m} is none. */
  private static Path locatorPath(Method m) {
    for (Method declared : overridden(m)) {
      if (hasHttpMethod(declared)) {
        return null;
      }
      Path p = declared.getAnnotation(Path.class);
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  /** {@code m}, then the methods it overrides or implements, superclasses first. */
  private static List<Method> overridden(Method m) {
    List<Method> out = new ArrayList<>();
    out.add(m);
    List<Class<?>> types = new ArrayList<>();
    for (Class<?> k = m.getDeclaringClass(); k != null && k != Object.class; k = k.getSuperclass()) {
      types.add(k);
    }
    for (int i = 0; i < types.size(); i++) {
      Class<?> k = types.get(i);
      if (i > 0) {
        try {
          out.add(k.getDeclaredMethod(m.getName(), m.getParameterTypes()));
        } catch (NoSuchMethodException e) {
          // not declared here
        }
      }
      for (Class<?> itf : k.getInterfaces()) {
        if (!types.contains(itf)) {
          types.add(itf);
        }
      }
    }
    return out;
  }

  private static boolean hasHttpMethod(Method m) {
    for (Annotation a : m.getAnnotations()) {
      if (a.annotationType().isAnnotationPresent(HttpMethod.class)) {
        return true;
      }
    }
    return false;
  }

  private static Path findPath(Class<?> c) {
    for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
      Path p = k.getAnnotation(Path.class);
      if (p != null) {
        return p;
      }
      for (Class<?> itf : k.getInterfaces()) {
        if (itf.getAnnotation(Path.class) != null) {
          return itf.getAnnotation(Path.class);
        }
      }
    }
    return null;
  }

  /**
   * A JAX-RS path template as a regex matching a prefix that ends at a segment boundary:
   * {@code {name}} is one segment, {@code {name: regex}} the given regex, the rest literal.
   */
  static Pattern compile(String template) {
    String t = stripSlashes(template);
    if (t.isEmpty()) {
      return Pattern.compile("");
    }
    StringBuilder re = new StringBuilder();
    int i = 0;
    while (i < t.length()) {
      int open = t.indexOf('{', i);
      if (open < 0) {
        re.append(Pattern.quote(t.substring(i)));
        break;
      }
      if (open > i) {
        re.append(Pattern.quote(t.substring(i, open)));
      }
      int depth = 0;
      int close = open;
      for (; close < t.length(); close++) {
        char c = t.charAt(close);
        if (c == '{') {
          depth++;
        } else if (c == '}' && --depth == 0) {
          break;
        }
      }
      if (close >= t.length()) { // unbalanced: treat the rest literally, the runtime would have refused it anyway
        re.append(Pattern.quote(t.substring(open)));
        break;
      }
      String variable = t.substring(open + 1, close);
      int colon = variable.indexOf(':');
      re.append(colon < 0 ? "(?:[^/]+?)" : "(?:" + variable.substring(colon + 1).trim() + ")");
      i = close + 1;
    }
    return Pattern.compile(re + "(?=/|$)");
  }

  private static String stripSlashes(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '/') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '/') {
      end--;
    }
    return s.substring(start, end);
  }
}
