package dev.tokenward.jaxrs;

import dev.tokenward.core.VerifiedToken;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * On RESTEasy, makes {@code @Context VerifiedToken} injectable into resource method parameters by
 * pushing the token into RESTEasy's context data ({@code ResteasyContext.pushContext}), found by
 * reflection so that RESTEasy is never a dependency. Elsewhere it does nothing.
 */
final class RestEasyBinding {
  private static final MethodHandle PUSH = find();

  private RestEasyBinding() {}

  private static MethodHandle find() {
    try {
      Class<?> context = Class.forName("org.jboss.resteasy.core.ResteasyContext", false,
          RestEasyBinding.class.getClassLoader());
      return MethodHandles.publicLookup().findStatic(context, "pushContext",
          MethodType.methodType(void.class, Class.class, Object.class));
    } catch (ReflectiveOperationException | LinkageError e) {
      return null;
    }
  }

  /** Offers the token to RESTEasy's {@code @Context} injection, if RESTEasy runs the request. */
  static void offer(VerifiedToken token) {
    if (PUSH != null) {
      try {
        PUSH.invoke(VerifiedToken.class, token);
      } catch (Throwable e) { // never fail a request for the convenience injection
        if (e instanceof Error error && !(e instanceof LinkageError)) {
          throw error;
        }
      }
    }
  }
}
