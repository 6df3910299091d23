package dev.deferred.console;

import jakarta.servlet.HttpConstraintElement;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.ServletSecurityElement;
import jakarta.servlet.annotation.ServletSecurity;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Registers the console's servlet when the application starts, at {@code deferred.console.path}.
 * With {@code deferred.console.role} set, the container itself demands that role (and signs the
 * user in, with the application's login configuration); without it, the container denies every
 * request, and so does the servlet: the console is never open by accident.
 */
public final class ConsoleInitializer implements ServletContainerInitializer {
  static final String PATH_KEY = "deferred.console.path";
  static final String ROLE_KEY = "deferred.console.role";
  static final String DEFAULT_PATH = "/deferred-console";

  private static final Logger LOG = Logger.getLogger(ConsoleInitializer.class.getName());

  @Override
  public void onStartup(Set<Class<?>> classes, ServletContext ctx) {
    Config config = ConfigProvider.getConfig(ctx.getClassLoader());
    String path = path(config.getOptionalValue(PATH_KEY, String.class));
    Optional<String> role =
        config.getOptionalValue(ROLE_KEY, String.class).map(String::trim).filter(r -> !r.isEmpty());
    ServletRegistration.Dynamic servlet = ctx.addServlet("deferred-console", ConsoleServlet.class);
    servlet.addMapping(path + "/*");
    servlet.setInitParameter(ConsoleServlet.PATH_PARAM, path);
    role.ifPresent(r -> servlet.setInitParameter(ConsoleServlet.ROLE_PARAM, r));
    if (role.isPresent()) {
      ctx.declareRoles(role.get());
      servlet.setServletSecurity(
          new ServletSecurityElement(
              new HttpConstraintElement(ServletSecurity.TransportGuarantee.NONE, role.get())));
    } else {
      servlet.setServletSecurity(
          new ServletSecurityElement(
              new HttpConstraintElement(ServletSecurity.EmptyRoleSemantic.DENY)));
    }
    LOG.info(ConsoleMessages.started(ctx.getContextPath() + path, role.orElse(null)));
  }

  /** The configured path without a trailing slash, checked. */
  static String path(Optional<String> configured) {
    String path = configured.map(String::trim).orElse(DEFAULT_PATH);
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    if (!path.startsWith("/")
        || path.equals("/")
        || path.chars()
            .anyMatch(c -> c == '*' || c == '?' || c == '#' || Character.isWhitespace(c))) {
      throw new IllegalStateException(ConsoleMessages.invalidPath(configured.orElse("")));
    }
    return path;
  }
}
