package dev.deferred.impl.codec;

import dev.deferred.Deferrer;
import dev.deferred.impl.LibraryTaskTarget;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.security.CodeSource;
import java.util.List;
import java.util.Objects;

/**
 * Which methods a task may call: the ones a call site could have deferred. A signed payload names
 * its method by name, so without this rule a leaked signing key would open every method of every
 * bean, private and static ones and the library's own included.
 *
 * <p>Allowed: a method that is neither private, static nor final (the CDI interceptors that record
 * and defer a call cannot intercept those, and {@code @Deferred} refuses them), declared by a class
 * of the application: not {@code java.lang.Object}, not the platform's or the server's classes, not
 * this library's, except the public methods of a library class annotated {@link LibraryTaskTarget}.
 */
final class TaskTargets {
  private TaskTargets() {}

  // Classes no application defers to: the JDK, the Jakarta and MicroProfile APIs, the CDI runtimes
  // that provide built-in beans (BeanManager, Event, ...), the servers this library runs on.
  private static final List<String> PLATFORM_PACKAGES =
      List.of(
          "java.",
          "javax.",
          "jakarta.",
          "jdk.",
          "sun.",
          "com.sun.",
          "org.eclipse.microprofile.",
          "org.jboss.weld.",
          "io.smallrye.",
          "com.ibm.ws.",
          "io.openliberty.");

  private static final CodeSource API = codeSource(Deferrer.class);
  private static final CodeSource IMPL = codeSource(TaskTargets.class);

  /**
   * Why {@code method} of {@code beanType} may not run as a task, or {@code null} if it may.
   *
   * @return a reason such as {@code "it is private"}, for messages
   */
  static String refusal(Class<?> beanType, Method method) {
    int modifiers = method.getModifiers();
    if (Modifier.isPrivate(modifiers)) {
      return "it is private";
    }
    if (Modifier.isStatic(modifiers)) {
      return "it is static";
    }
    if (Modifier.isFinal(modifiers)) {
      return "it is final";
    }
    if (libraryTarget(beanType, method)) {
      return null;
    }
    for (Class<?> c : new Class<?>[] {beanType, method.getDeclaringClass()}) {
      if (c == Object.class) {
        return "it is declared by java.lang.Object";
      }
      if (c.getClassLoader() == null || isPlatform(c.getName())) {
        return c.getName() + " is a class of the platform, not of the application";
      }
      CodeSource source = codeSource(c);
      if (sameLocation(source, API) || sameLocation(source, IMPL)) {
        return c.getName() + " belongs to the Deferred library itself";
      }
    }
    return null;
  }

  /**
   * The library's own task targets (the iteration engine's shard and finalize tasks): the public
   * methods declared by a library class annotated {@link LibraryTaskTarget}, and nothing else.
   */
  private static boolean libraryTarget(Class<?> beanType, Method method) {
    return beanType.isAnnotationPresent(LibraryTaskTarget.class)
        && method.getDeclaringClass() == beanType
        && Modifier.isPublic(method.getModifiers())
        && sameLocation(codeSource(beanType), IMPL);
  }

  private static boolean sameLocation(CodeSource a, CodeSource b) {
    return a != null && b != null && Objects.equals(a.getLocation(), b.getLocation());
  }

  private static boolean isPlatform(String name) {
    for (String p : PLATFORM_PACKAGES) {
      if (name.startsWith(p)) {
        return true;
      }
    }
    return false;
  }

  private static CodeSource codeSource(Class<?> c) {
    var domain = c.getProtectionDomain();
    return domain == null ? null : domain.getCodeSource();
  }
}
