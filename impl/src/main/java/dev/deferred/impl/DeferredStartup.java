package dev.deferred.impl;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

/**
 * Starts the runtime when the application starts. On a servlet container the event's payload is the
 * {@code ServletContext}, whose context path makes the handler URL right without configuration; it
 * is read reflectively so that the library does not need the servlet API on the class path.
 */
@ApplicationScoped
public class DeferredStartup {

  @Inject DeferredRuntime runtime;

  /**
   * Runs before the application's own observers of the same event (platform priority), so that a
   * task the application defers at start is sent with the context path already known.
   */
  void onStart(
      @Observes
          @Priority(Interceptor.Priority.PLATFORM_BEFORE)
          @Initialized(ApplicationScoped.class) Object payload) {
    runtime.start(contextPath(payload));
  }

  static String contextPath(Object payload) {
    if (payload == null) {
      return "";
    }
    Class<?> servletContext = servletContextType(payload.getClass());
    if (servletContext == null) {
      return "";
    }
    try {
      Object path = servletContext.getMethod("getContextPath").invoke(payload);
      return path == null ? "" : path.toString();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return "";
    }
  }

  /**
   * Finds {@code jakarta.servlet.ServletContext} among all the interfaces of a type, also the
   * inherited ones: Open Liberty's context implements it through its own sub-interface.
   */
  private static Class<?> servletContextType(Class<?> type) {
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      for (Class<?> i : c.getInterfaces()) {
        if (i.getName().equals("jakarta.servlet.ServletContext")) {
          return i;
        }
        Class<?> inherited = servletContextType(i);
        if (inherited != null) {
          return inherited;
        }
      }
    }
    return null;
  }
}
