package dev.deferred.impl.codec;

import java.util.Map;

/** Class names as {@link Class#getName()} writes them, read back including primitives. */
final class ClassNames {
  private static final Map<String, Class<?>> PRIMITIVES =
      Map.of(
          "boolean", boolean.class,
          "byte", byte.class,
          "char", char.class,
          "short", short.class,
          "int", int.class,
          "long", long.class,
          "float", float.class,
          "double", double.class);

  private ClassNames() {}

  static Class<?> load(String name, ClassLoader loader) throws ClassNotFoundException {
    Class<?> p = PRIMITIVES.get(name);
    return p != null ? p : Class.forName(name, false, loader);
  }
}
