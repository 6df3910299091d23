package dev.deferred.impl.codec;

import dev.deferred.impl.config.Messages;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.lang.annotation.Annotation;
import java.lang.reflect.Array;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Qualifiers in the payload: the annotation type and its member values. Decoding builds an
 * annotation instance with a JDK proxy that honours the {@link Annotation} contract (equals,
 * hashCode, toString), which is all CDI needs to resolve a bean.
 */
final class QualifierCodec {
  private QualifierCodec() {}

  static JsonObject encode(Annotation qualifier) {
    JsonObjectBuilder members = JsonP.objectBuilder();
    for (Method m : members(qualifier.annotationType())) {
      Object value;
      try {
        m.setAccessible(true);
        value = m.invoke(qualifier);
      } catch (ReflectiveOperationException | RuntimeException e) {
        throw new IllegalArgumentException(
            Messages.qualifierNotEncodable(
                qualifier.toString(), "member " + m.getName() + " cannot be read"),
            e);
      }
      members.add(m.getName(), encodeValue(qualifier, m.getName(), value));
    }
    return JsonP.objectBuilder()
        .add("type", qualifier.annotationType().getName())
        .add("members", members)
        .build();
  }

  private static JsonValue encodeValue(Annotation q, String member, Object value) {
    if (value instanceof String s) {
      return JsonP.value(s);
    } else if (value instanceof Boolean b) {
      return b ? JsonValue.TRUE : JsonValue.FALSE;
    } else if (value instanceof Character c) {
      return JsonP.value(String.valueOf(c));
    } else if (value instanceof Double || value instanceof Float) {
      return JsonP.value(((Number) value).doubleValue());
    } else if (value instanceof Number n) {
      return JsonP.value(n.longValue());
    } else if (value instanceof Enum<?> e) {
      return JsonP.value(e.name());
    } else if (value instanceof Class<?> c) {
      return JsonP.value(c.getName());
    } else if (value != null && value.getClass().isArray()) {
      JsonArrayBuilder a = JsonP.arrayBuilder();
      for (int i = 0; i < Array.getLength(value); i++) {
        a.add(encodeValue(q, member, Array.get(value, i)));
      }
      return a.build();
    }
    throw new IllegalArgumentException(
        Messages.qualifierNotEncodable(
            q.toString(),
            "member "
                + member
                + " is of type "
                + (value == null ? "null" : value.getClass().getName())));
  }

  static Annotation decode(JsonObject json, ClassLoader loader) throws ClassNotFoundException {
    Class<?> type = Class.forName(json.getString("type"), false, loader);
    if (!type.isAnnotation()) {
      throw new ClassNotFoundException(type.getName() + " is not an annotation type");
    }
    @SuppressWarnings("unchecked")
    Class<? extends Annotation> annotationType = (Class<? extends Annotation>) type;
    JsonObject members = json.getJsonObject("members");
    Map<String, Object> values = new LinkedHashMap<>();
    for (Method m : members(annotationType)) {
      JsonValue v = members.get(m.getName());
      if (v == null) {
        if (m.getDefaultValue() == null) {
          throw new ClassNotFoundException(
              annotationType.getName() + " has a member " + m.getName() + " the payload lacks");
        }
        values.put(m.getName(), m.getDefaultValue());
      } else {
        values.put(m.getName(), decodeValue(v, m.getReturnType(), loader));
      }
    }
    return create(annotationType, values);
  }

  private static Object decodeValue(JsonValue v, Class<?> type, ClassLoader loader)
      throws ClassNotFoundException {
    if (type.isArray()) {
      JsonArray a = v.asJsonArray();
      Object array = Array.newInstance(type.getComponentType(), a.size());
      for (int i = 0; i < a.size(); i++) {
        Array.set(array, i, decodeValue(a.get(i), type.getComponentType(), loader));
      }
      return array;
    }
    if (type == String.class) {
      return ((JsonString) v).getString();
    } else if (type == boolean.class) {
      return v == JsonValue.TRUE;
    } else if (type == char.class) {
      return ((JsonString) v).getString().charAt(0);
    } else if (type == int.class) {
      return ((JsonNumber) v).intValue();
    } else if (type == long.class) {
      return ((JsonNumber) v).longValue();
    } else if (type == short.class) {
      return (short) ((JsonNumber) v).intValue();
    } else if (type == byte.class) {
      return (byte) ((JsonNumber) v).intValue();
    } else if (type == double.class) {
      return ((JsonNumber) v).doubleValue();
    } else if (type == float.class) {
      return (float) ((JsonNumber) v).doubleValue();
    } else if (type.isEnum()) {
      return enumValue(type, ((JsonString) v).getString());
    } else if (type == Class.class) {
      return Class.forName(((JsonString) v).getString(), false, loader);
    }
    throw new ClassNotFoundException("unsupported qualifier member type " + type.getName());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object enumValue(Class<?> type, String name) {
    return Enum.valueOf((Class) type, name);
  }

  private static Method[] members(Class<? extends Annotation> type) {
    Method[] ms = type.getDeclaredMethods();
    Arrays.sort(ms, (a, b) -> a.getName().compareTo(b.getName()));
    return ms;
  }

  static <A extends Annotation> A create(Class<A> type, Map<String, Object> values) {
    InvocationHandler h = new AnnotationHandler(type, values);
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, h));
  }

  /** Implements the {@link Annotation} contract for a proxy instance. */
  private static final class AnnotationHandler implements InvocationHandler {
    private final Class<? extends Annotation> type;
    private final Map<String, Object> values;

    AnnotationHandler(Class<? extends Annotation> type, Map<String, Object> values) {
      this.type = type;
      this.values = values;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
      String name = method.getName();
      if (name.equals("annotationType") && method.getParameterCount() == 0) {
        return type;
      }
      if (name.equals("equals") && method.getParameterCount() == 1) {
        return isEqual(args[0]);
      }
      if (name.equals("hashCode") && method.getParameterCount() == 0) {
        int h = 0;
        for (Map.Entry<String, Object> e : values.entrySet()) {
          h += (127 * e.getKey().hashCode()) ^ valueHash(e.getValue());
        }
        return h;
      }
      if (name.equals("toString") && method.getParameterCount() == 0) {
        StringBuilder s = new StringBuilder("@").append(type.getName()).append('(');
        String sep = "";
        for (Map.Entry<String, Object> e : values.entrySet()) {
          s.append(sep).append(e.getKey()).append('=').append(valueString(e.getValue()));
          sep = ", ";
        }
        return s.append(')').toString();
      }
      Object v = values.get(name);
      if (v != null && v.getClass().isArray()) {
        return cloneArray(v);
      }
      return v;
    }

    private boolean isEqual(Object other) throws InvocationTargetException, IllegalAccessException {
      if (!type.isInstance(other)) {
        return false;
      }
      for (Method m : members(type)) {
        m.setAccessible(true);
        Object theirs = m.invoke(other);
        if (!Objects.deepEquals(values.get(m.getName()), theirs)) {
          return false;
        }
      }
      return true;
    }

    private static Object cloneArray(Object array) {
      int n = Array.getLength(array);
      Object copy = Array.newInstance(array.getClass().getComponentType(), n);
      System.arraycopy(array, 0, copy, 0, n);
      return copy;
    }

    private static int valueHash(Object v) {
      if (!v.getClass().isArray()) {
        return v.hashCode();
      }
      if (v instanceof int[] a) {
        return Arrays.hashCode(a);
      } else if (v instanceof long[] a) {
        return Arrays.hashCode(a);
      } else if (v instanceof short[] a) {
        return Arrays.hashCode(a);
      } else if (v instanceof byte[] a) {
        return Arrays.hashCode(a);
      } else if (v instanceof char[] a) {
        return Arrays.hashCode(a);
      } else if (v instanceof boolean[] a) {
        return Arrays.hashCode(a);
      } else if (v instanceof float[] a) {
        return Arrays.hashCode(a);
      } else if (v instanceof double[] a) {
        return Arrays.hashCode(a);
      }
      return Arrays.hashCode((Object[]) v);
    }

    private static String valueString(Object v) {
      if (v.getClass().isArray()) {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < Array.getLength(v); i++) {
          s.append(i == 0 ? "" : ", ").append(Array.get(v, i));
        }
        return s.append('}').toString();
      }
      return v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
    }
  }
}
