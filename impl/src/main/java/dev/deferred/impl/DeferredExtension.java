package dev.deferred.impl;

import dev.deferred.Deferred;
import dev.deferred.TaskOnly;
import dev.deferred.impl.client.EmulatorLauncher;
import dev.deferred.impl.codec.DeferredInvocation;
import dev.deferred.impl.codec.EncodabilityRules;
import dev.deferred.impl.config.DeferredConfig;
import dev.deferred.impl.config.HostEnvironment;
import dev.deferred.impl.config.Messages;
import dev.deferred.impl.defer.AnnotationOptions;
import dev.deferred.impl.defer.DeferredInterceptor;
import dev.deferred.impl.defer.DeferrerImpl;
import dev.deferred.impl.defer.RecordingInterceptor;
import dev.deferred.impl.handler.TaskContextImpl;
import dev.deferred.impl.handler.TaskOnlyGuard;
import dev.deferred.impl.handler.TaskState;
import dev.deferred.impl.operations.FailedTasksImpl;
import dev.deferred.impl.operations.OptionalIntegrations;
import dev.deferred.impl.operations.TaskCounters;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterBeanDiscovery;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.DefinitionException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessManagedBean;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Deferred's CDI portable extension: registers the library's beans and interceptors (so nothing
 * depends on how the runtime scans the library jar), validates every {@code @Deferred} method and
 * the configuration at deployment, and reports every problem at once.
 */
public class DeferredExtension implements Extension {

  /** The library's own beans, registered whatever the bean discovery mode of its jar. */
  static final List<Class<?>> BEANS =
      List.of(
          DeferredRuntime.class,
          DeferredStartup.class,
          HostEnvironment.class,
          DeferrerImpl.class,
          FailedTasksImpl.class,
          TaskCounters.class,
          DeferredInterceptor.class,
          RecordingInterceptor.class,
          TaskContextImpl.class,
          TaskState.class);

  /** A rule for a {@code @Deferred} method: when {@code violated}, report {@code problem}. */
  private record MethodRule(
      Predicate<Method> violated, String problem, String fix, boolean explicitOnly) {}

  private static final List<MethodRule> METHOD_RULES =
      List.of(
          new MethodRule(
              m -> Modifier.isPrivate(m.getModifiers()),
              "is private, so CDI cannot intercept it",
              "make it public",
              true),
          new MethodRule(
              m -> Modifier.isStatic(m.getModifiers()),
              "is static, so CDI cannot intercept it",
              "make it an instance method",
              true),
          new MethodRule(
              m -> Modifier.isFinal(m.getModifiers()),
              "is final, so CDI cannot intercept it",
              "remove the final modifier",
              false),
          new MethodRule(
              m -> m.getReturnType() != void.class,
              "returns a value, but a deferred call returns before the method runs",
              "make it return void; to learn the task's name, defer it with Deferrer.defer(...),"
                  + " which returns a DeferredTask",
              false));

  private final List<String> methodProblems = new ArrayList<>();
  private final List<Class<?>> hostEnvironments = new ArrayList<>();
  private final Map<String, List<String>> queueUses = new TreeMap<>();

  /**
   * The iteration engine's beans, registered only when JPA and JTA are there: without them the
   * application cannot iterate, and their classes could not even be loaded.
   */
  static final List<String> ITERATION_BEANS =
      List.of(
          "dev.deferred.impl.iteration.IterationServiceImpl",
          "dev.deferred.impl.iteration.IterationEngine",
          "dev.deferred.impl.iteration.IterationDefers",
          "dev.deferred.impl.iteration.IterationTasks");

  void registerBeans(@Observes BeforeBeanDiscovery event, BeanManager beanManager) {
    if (jaxRsPresent()) {
      // @TaskOnly is a JAX-RS name binding and, through this, a CDI interceptor binding: the
      // interceptor refuses calls the JAX-RS filter did not verify, so it fails closed. Without
      // JAX-RS there are no @TaskOnly endpoints to guard (and the guard's types would not load).
      event.addInterceptorBinding(TaskOnly.class);
      event.addAnnotatedType(
          beanManager.createAnnotatedType(TaskOnlyGuard.class),
          DeferredExtension.class.getName() + "." + TaskOnlyGuard.class.getSimpleName());
    }
    List<Class<?>> beans = new ArrayList<>(BEANS);
    beans.addAll(OptionalIntegrations.beans(DeferredExtension.class.getClassLoader()));
    beans.addAll(iterationBeans());
    for (Class<?> c : beans) {
      event.addAnnotatedType(
          beanManager.createAnnotatedType(c),
          DeferredExtension.class.getName() + "." + c.getSimpleName());
    }
  }

  private static boolean jaxRsPresent() {
    try {
      Class.forName(
          "jakarta.ws.rs.container.ContainerRequestFilter",
          false,
          DeferredExtension.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  private static List<Class<?>> iterationBeans() {
    ClassLoader loader = DeferredExtension.class.getClassLoader();
    List<Class<?>> found = new ArrayList<>();
    try {
      Class.forName("jakarta.persistence.EntityManager", false, loader);
      Class.forName("jakarta.transaction.UserTransaction", false, loader);
      for (String name : ITERATION_BEANS) {
        found.add(Class.forName(name, false, loader));
      }
    } catch (ClassNotFoundException | LinkageError e) {
      return List.of();
    }
    return found;
  }

  <T> void collectDeferredMethods(@Observes ProcessManagedBean<T> event) {
    Class<?> beanClass = event.getAnnotatedBeanClass().getJavaClass();
    if (HostEnvironment.class.isAssignableFrom(beanClass) && beanClass != HostEnvironment.class) {
      hostEnvironments.add(beanClass);
    }
    if (BEANS.contains(beanClass) || ITERATION_BEANS.contains(beanClass.getName())) {
      return;
    }
    boolean classLevel = beanClass.isAnnotationPresent(Deferred.class);
    for (Class<?> c = beanClass; c != null && c != Object.class; c = c.getSuperclass()) {
      for (Method m : c.getDeclaredMethods()) {
        boolean explicit = m.isAnnotationPresent(Deferred.class);
        if (m.isSynthetic() || m.isBridge() || (!explicit && !classLevel)) {
          continue;
        }
        if (!explicit
            && (Modifier.isPrivate(m.getModifiers()) || Modifier.isStatic(m.getModifiers()))) {
          continue; // not a business method: a class-level binding does not apply to it
        }
        validate(beanClass, m, AnnotationOptions.find(m, beanClass), explicit);
      }
    }
  }

  private void validate(Class<?> beanClass, Method m, Deferred deferred, boolean explicit) {
    String where =
        beanClass.getName()
            + "."
            + DeferredInvocation.describe(beanClass, m)
                .substring(beanClass.getSimpleName().length() + 1);
    for (MethodRule rule : METHOD_RULES) {
      if ((explicit || !rule.explicitOnly()) && rule.violated().test(m)) {
        methodProblems.add(Messages.deferredMethodProblem(where, rule.problem(), rule.fix()));
      }
    }
    Parameter[] params = m.getParameters();
    Type[] types = m.getGenericParameterTypes();
    for (int i = 0; i < params.length; i++) {
      Optional<String> problem = EncodabilityRules.problem(types[i]);
      if (problem.isPresent()) {
        methodProblems.add(
            Messages.deferredMethodProblem(
                where,
                "has parameter "
                    + i
                    + (params[i].isNamePresent() ? " (" + params[i].getName() + ")" : "")
                    + " of type "
                    + types[i].getTypeName()
                    + " that cannot be encoded into a task payload: it "
                    + problem.get().substring(0, problem.get().indexOf(':')),
                problem.get().substring(problem.get().indexOf(':') + 2)));
      }
    }
    for (AnnotationOptions.Problem p : AnnotationOptions.problems(deferred)) {
      methodProblems.add(Messages.invalidAnnotationValue(where, p.member(), p.value(), p.reason()));
    }
    queueUses.computeIfAbsent(deferred.queue(), q -> new ArrayList<>()).add(where);
  }

  /**
   * Reports every problem of the deployment at once, right after bean discovery: the {@code
   * Deferred} method problems, the configuration problems and the unconfigured queues (every bean
   * has been seen by then). One observer for all of them, because the first definition error ends
   * the deployment after its event: problems reported in a later event would show only on the next
   * deployment. Reporting before the container validates the beans also keeps Deferred's messages
   * ahead of the container's own (a final {@code @Deferred} method would otherwise get only Weld's
   * generic "cannot be declared final").
   */
  void reportProblems(@Observes AfterBeanDiscovery event) {
    List<String> problems = new ArrayList<>(methodProblems);
    problems.addAll(configurationAndQueueProblems());
    for (String problem : problems) {
      event.addDefinitionError(new DefinitionException(problem));
    }
  }

  /**
   * The environment the runtime will see: bean instances do not exist yet during bean discovery, so
   * the extension makes its own instance of the class that wins resolution (an enabled alternative
   * subclass with the highest priority, as a test's, else the platform's).
   */
  private HostEnvironment hostEnvironment() {
    Class<?> winner = HostEnvironment.class;
    int best = Integer.MIN_VALUE;
    for (Class<?> c : hostEnvironments) {
      jakarta.annotation.Priority p = c.getAnnotation(jakarta.annotation.Priority.class);
      if (c.isAnnotationPresent(jakarta.enterprise.inject.Alternative.class)
          && p != null
          && p.value() > best) {
        winner = c;
        best = p.value();
      }
    }
    try {
      return (HostEnvironment) winner.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      return new HostEnvironment();
    }
  }

  private List<String> configurationAndQueueProblems() {
    List<String> problems = new ArrayList<>();
    HostEnvironment host = hostEnvironment();
    DeferredConfig config = DeferredConfig.read(ConfigProvider.getConfig(), host::variable);
    problems.addAll(config.problems());
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    EmulatorLauncher.missingEmulator(
            config, loader != null ? loader : DeferredExtension.class.getClassLoader())
        .ifPresent(problems::add);
    for (Map.Entry<String, List<String>> use : queueUses.entrySet()) {
      if (!config.queues().containsKey(use.getKey())) {
        for (String method : use.getValue()) {
          problems.add(
              Messages.unknownQueue(
                  "@Deferred method " + method, use.getKey(), config.queues().keySet()));
        }
      }
    }
    return problems;
  }
}
