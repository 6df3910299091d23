package dev.deferred.impl.codec;

import java.lang.reflect.Constructor;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides at deployment whether a parameter type can ever be encoded, so that a {@code @Deferred}
 * method that could never work fails the deployment instead of every call. Values are still
 * round-trip checked at each call: a type that passes here can hold a value that does not.
 *
 * <p>The rules are a table: the first rule whose predicate matches a type reports its problem.
 */
public final class EncodabilityRules {

  /** One rule: when {@code applies}, the type cannot be encoded because of {@code problem}. */
  private record Rule(Predicate<Type> applies, String problem) {}

  private static final List<String> RESOURCE_TYPES =
      List.of(
          "java.io.InputStream",
          "java.io.OutputStream",
          "java.io.Reader",
          "java.io.Writer",
          "java.io.File",
          "java.net.Socket",
          "java.lang.Thread",
          "java.lang.ClassLoader",
          "java.sql.Connection",
          "java.sql.ResultSet",
          "javax.sql.DataSource",
          "jakarta.persistence.EntityManager",
          "jakarta.enterprise.inject.spi.BeanManager",
          "jakarta.servlet.ServletRequest",
          "jakarta.servlet.ServletResponse",
          "java.lang.Runnable",
          "java.util.concurrent.Callable",
          "java.util.function.Function",
          "java.util.function.Supplier",
          "java.util.function.Consumer");

  private static final List<Rule> RULES =
      List.of(
          new Rule(
              t -> t instanceof TypeVariable<?> || t instanceof WildcardType,
              "is a type variable, so JSON cannot tell which class to decode: declare a concrete"
                  + " type"),
          new Rule(
              t -> t == Object.class,
              "is java.lang.Object, so JSON cannot tell which class to decode: declare a concrete"
                  + " type"),
          new Rule(
              t -> t instanceof Class<?> c && isResource(c),
              "is a resource or behaviour, not data: pass the data it works on (an id, a name,"
                  + " the bytes) instead"),
          new Rule(
              t ->
                  t instanceof Class<?> c
                      && c.isMemberClass()
                      && !Modifier.isStatic(c.getModifiers()),
              "is an inner (non-static) class, which JSON-B cannot create: make it a static nested"
                  + " class or a record"),
          new Rule(
              t ->
                  t instanceof Class<?> c
                      && (c.isInterface() || Modifier.isAbstract(c.getModifiers()))
                      && !c.isPrimitive()
                      && !c.isArray()
                      && !isContainer(c)
                      && !isJsonbBuiltIn(c)
                      && !EntityReferences.isEntity(c),
              "is an interface or abstract class, which JSON-B cannot create: declare a concrete"
                  + " class or a record"),
          new Rule(
              t ->
                  t instanceof Class<?> c
                      && !c.isInterface()
                      && !Modifier.isAbstract(c.getModifiers())
                      && !c.isPrimitive()
                      && !c.isArray()
                      && !c.isEnum()
                      && !c.isRecord()
                      && !isJsonbBuiltIn(c)
                      && !isContainer(c)
                      && !creatable(c),
              "has no no-argument constructor and no @JsonbCreator, so JSON-B cannot create it: add"
                  + " one, or make it a record"));

  private EncodabilityRules() {}

  /** The first problem with {@code type} or any type argument in it; empty if encodable. */
  public static Optional<String> problem(Type type) {
    return problem(type, 0);
  }

  private static Optional<String> problem(Type type, int depth) {
    if (depth > 10) {
      return Optional.empty();
    }
    for (Rule r : RULES) {
      if (r.applies().test(type)) {
        return Optional.of(r.problem());
      }
    }
    if (type instanceof ParameterizedType p) {
      for (Type arg : p.getActualTypeArguments()) {
        Optional<String> inner = problem(arg, depth + 1);
        if (inner.isPresent()) {
          return Optional.of("has a type argument " + arg.getTypeName() + " that " + inner.get());
        }
      }
      return problem(p.getRawType(), depth + 1);
    }
    if (type instanceof GenericArrayType g) {
      return problem(g.getGenericComponentType(), depth + 1);
    }
    if (type instanceof Class<?> c && c.isArray()) {
      return problem(c.getComponentType(), depth + 1);
    }
    return Optional.empty();
  }

  private static boolean isResource(Class<?> c) {
    for (String name : RESOURCE_TYPES) {
      for (Class<?> k = c; k != null; k = k.getSuperclass()) {
        if (k.getName().equals(name) || implementsNamed(k, name)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean implementsNamed(Class<?> c, String name) {
    for (Class<?> i : c.getInterfaces()) {
      if (i.getName().equals(name) || implementsNamed(i, name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isContainer(Class<?> c) {
    return Collection.class.isAssignableFrom(c)
        || Map.class.isAssignableFrom(c)
        || c == Optional.class;
  }

  /**
   * Types JSON-B (and Yasson) map natively: java.lang, java.math, java.time, java.util, java.net.
   */
  private static boolean isJsonbBuiltIn(Class<?> c) {
    String pkg = c.getPackageName();
    return pkg.equals("java.lang")
        || pkg.equals("java.math")
        || pkg.startsWith("java.time")
        || pkg.equals("java.net")
        || c == java.util.UUID.class
        || c == java.util.Date.class
        || c == java.util.Calendar.class
        || c == java.util.TimeZone.class
        || c == java.util.OptionalInt.class
        || c == java.util.OptionalLong.class
        || c == java.util.OptionalDouble.class;
  }

  private static boolean creatable(Class<?> c) {
    for (Constructor<?> k : c.getDeclaredConstructors()) {
      if (k.getParameterCount() == 0 && !Modifier.isPrivate(k.getModifiers())) {
        return true;
      }
      if (hasJsonbCreator(k.getDeclaredAnnotations())) {
        return true;
      }
    }
    for (Method m : c.getDeclaredMethods()) {
      if (Modifier.isStatic(m.getModifiers()) && hasJsonbCreator(m.getDeclaredAnnotations())) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasJsonbCreator(java.lang.annotation.Annotation[] annotations) {
    for (java.lang.annotation.Annotation a : annotations) {
      if (a.annotationType().getName().equals("jakarta.json.bind.annotation.JsonbCreator")) {
        return true;
      }
    }
    return false;
  }
}
