package dev.deferred.impl.defer;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Lets exactly one invocation of a {@code @Deferred} method through its interceptor: the one the
 * task handler makes to run the task. The handler arms it for the method; the interceptor consumes
 * it on the first matching invocation, so a nested call of the same or another {@code @Deferred}
 * method is deferred again.
 */
public final class Bypass {
  private static final ThreadLocal<Method> ARMED = new ThreadLocal<>();

  private Bypass() {}

  /** Arms the bypass for the next invocation of {@code method} on this thread. */
  public static void arm(Method method) {
    ARMED.set(method);
  }

  /** Disarms it, whether or not it was consumed. */
  public static void clear() {
    ARMED.remove();
  }

  /** Whether this invocation is the armed one; consumes the bypass if so. */
  static boolean consume(Method invoked) {
    Method armed = ARMED.get();
    if (armed != null && sameSignature(armed, invoked)) {
      ARMED.remove();
      return true;
    }
    return false;
  }

  private static boolean sameSignature(Method a, Method b) {
    return a.equals(b)
        || (a.getName().equals(b.getName())
            && Arrays.equals(a.getParameterTypes(), b.getParameterTypes())
            && (a.getDeclaringClass().isAssignableFrom(b.getDeclaringClass())
                || b.getDeclaringClass().isAssignableFrom(a.getDeclaringClass())));
  }
}
