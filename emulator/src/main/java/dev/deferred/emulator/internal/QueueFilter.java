package dev.deferred.emulator.internal;

import com.google.cloud.tasks.v2.Queue;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The ListQueues {@code filter}: the Cloud Logging advanced-filter grammar the API documents,
 * restricted to what applies to a Queue. Comparisons {@code FIELD OP VALUE} with OP one of {@code =
 * != < <= > >= :}, combined with AND (or juxtaposition), OR, NOT / {@code -} and parentheses. FIELD
 * is any scalar Queue field path, snake_case or camelCase ({@code state}, {@code name}, {@code
 * rate_limits.max_dispatches_per_second}, {@code retryConfig.maxAttempts}). {@code :} ("has") is a
 * case-insensitive substring match on strings and equality otherwise; {@code *} in a value is a
 * wildcard. {@code name = ID} also matches the short queue id.
 */
final class QueueFilter {
  private final Predicate<Queue> predicate;

  private QueueFilter(Predicate<Queue> predicate) {
    this.predicate = predicate;
  }

  boolean matches(Queue q) {
    return predicate.test(q);
  }

  static QueueFilter parse(String filter) {
    if (filter == null || filter.isBlank()) {
      return new QueueFilter(q -> true);
    }
    Parser p = new Parser(filter, tokenize(filter));
    Predicate<Queue> pred = p.or();
    if (p.pos != p.tokens.size()) {
      throw p.error("unexpected \"" + p.tokens.get(p.pos) + "\"");
    }
    return new QueueFilter(pred);
  }

  private static final List<String> OPS = List.of("<=", ">=", "!=", "<", ">", "=", ":");

  private static List<String> tokenize(String s) {
    List<String> out = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '(' || c == ')') {
        out.add(String.valueOf(c));
        i++;
      } else if (c == '"' || c == '\'') {
        int end = s.indexOf(c, i + 1);
        if (end < 0) {
          throw Errors.invalid(
              "Invalid filter \"" + s + "\": unterminated quoted string at position " + i + ".");
        }
        out.add("\u0000" + s.substring(i + 1, end));
        i = end + 1;
      } else {
        String op = null;
        for (String o : OPS) {
          if (s.startsWith(o, i)) {
            op = o;
            break;
          }
        }
        if (op != null) {
          out.add(op);
          i += op.length();
          continue;
        }
        int start = i;
        while (i < s.length()
            && !Character.isWhitespace(s.charAt(i))
            && "()<>=!:\"'".indexOf(s.charAt(i)) < 0) {
          i++;
        }
        if (i == start) {
          // A lone '!' not followed by '='.
          throw Errors.invalid("Invalid filter \"" + s + "\": unexpected '" + c + "'.");
        }
        out.add(s.substring(start, i));
      }
    }
    return out;
  }

  private static final class Parser {
    final String text;
    final List<String> tokens;
    int pos;

    Parser(String text, List<String> tokens) {
      this.text = text;
      this.tokens = tokens;
    }

    io.grpc.StatusRuntimeException error(String what) {
      return Errors.invalid(
          "Invalid filter \""
              + text
              + "\": "
              + what
              + ". Use FIELD OPERATOR VALUE terms such as state: PAUSED or name:my-queue,"
              + " combined with AND, OR and NOT.");
    }

    String peek() {
      return pos < tokens.size() ? tokens.get(pos) : null;
    }

    Predicate<Queue> or() {
      Predicate<Queue> left = and();
      while ("OR".equals(peek())) {
        pos++;
        left = left.or(and());
      }
      return left;
    }

    Predicate<Queue> and() {
      Predicate<Queue> left = unary();
      while (peek() != null && !"OR".equals(peek()) && !")".equals(peek())) {
        if ("AND".equals(peek())) {
          pos++;
        }
        left = left.and(unary());
      }
      return left;
    }

    Predicate<Queue> unary() {
      String t = peek();
      if (t == null) {
        throw error("expression expected at the end");
      }
      if (t.equals("NOT")) {
        pos++;
        return unary().negate();
      }
      if (t.startsWith("-") && t.length() > 1) {
        tokens.set(pos, t.substring(1));
        return unary().negate();
      }
      if (t.equals("(")) {
        pos++;
        Predicate<Queue> inner = or();
        if (!")".equals(peek())) {
          throw error("missing ')'");
        }
        pos++;
        return inner;
      }
      return comparison();
    }

    Predicate<Queue> comparison() {
      String field = tokens.get(pos++);
      if (field.startsWith("\u0000") || OPS.contains(field)) {
        throw error("a field name was expected, found \"" + field.replace("\u0000", "") + "\"");
      }
      String op = peek();
      if (op == null || !OPS.contains(op)) {
        throw error("an operator was expected after \"" + field + "\"");
      }
      pos++;
      String value = peek();
      if (value == null || value.equals("(") || value.equals(")") || OPS.contains(value)) {
        throw error("a value was expected after \"" + field + " " + op + "\"");
      }
      pos++;
      return compare(resolve(field), field, op, value.replace("\u0000", ""));
    }

    List<FieldDescriptor> resolve(String path) {
      List<FieldDescriptor> out = new ArrayList<>();
      com.google.protobuf.Descriptors.Descriptor d = Queue.getDescriptor();
      String[] parts = path.split("\\.");
      for (int i = 0; i < parts.length; i++) {
        FieldDescriptor f = d == null ? null : d.findFieldByName(snake(parts[i]));
        if (f == null || f.isRepeated()) {
          throw error("unknown Queue field \"" + path + "\"");
        }
        out.add(f);
        boolean last = i == parts.length - 1;
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
          if (last) {
            throw error("field \"" + path + "\" is a message: name one of its fields");
          }
          d = f.getMessageType();
        } else if (!last) {
          throw error("field \"" + path + "\" has no subfields");
        }
      }
      return out;
    }

    Predicate<Queue> compare(List<FieldDescriptor> path, String field, String op, String value) {
      FieldDescriptor leaf = path.get(path.size() - 1);
      boolean isName = path.size() == 1 && leaf.getName().equals("name");
      switch (leaf.getJavaType()) {
        case INT:
        case LONG:
        case FLOAT:
        case DOUBLE:
          double number;
          try {
            number = Double.parseDouble(value);
          } catch (NumberFormatException e) {
            throw error("\"" + value + "\" is not a number for field " + field);
          }
          return q -> {
            double v = ((Number) get(q, path)).doubleValue();
            int c = Double.compare(v, number);
            return test(op, c, c == 0);
          };
        case ENUM:
        case BOOLEAN:
        case STRING:
          Pattern glob = value.contains("*") ? glob(value) : null;
          return q -> {
            Object raw = get(q, path);
            String v =
                raw instanceof EnumValueDescriptor
                    ? ((EnumValueDescriptor) raw).getName()
                    : raw.toString();
            boolean eq =
                glob != null
                    ? glob.matcher(v).matches()
                        || (isName && glob.matcher(Names.shortId(v)).matches())
                    : v.equalsIgnoreCase(value) || (isName && Names.shortId(v).equals(value));
            if (op.equals(":")) {
              if (leaf.getJavaType() == FieldDescriptor.JavaType.STRING && glob == null) {
                return v.toLowerCase(Locale.ROOT).contains(value.toLowerCase(Locale.ROOT));
              }
              return eq;
            }
            return test(op, v.compareTo(value), eq);
          };
        default:
          throw error("field \"" + field + "\" cannot be filtered on");
      }
    }

    private static boolean test(String op, int cmp, boolean eq) {
      switch (op) {
        case "=":
        case ":":
          return eq;
        case "!=":
          return !eq;
        case "<":
          return cmp < 0;
        case "<=":
          return cmp <= 0;
        case ">":
          return cmp > 0;
        default:
          return cmp >= 0;
      }
    }

    private static Object get(Queue q, List<FieldDescriptor> path) {
      Message m = q;
      for (int i = 0; i < path.size() - 1; i++) {
        m = (Message) m.getField(path.get(i));
      }
      return m.getField(path.get(path.size() - 1));
    }

    private static Pattern glob(String value) {
      List<String> quoted = new ArrayList<>();
      for (String part : value.split("\\*", -1)) {
        quoted.add(Pattern.quote(part));
      }
      return Pattern.compile(String.join(".*", quoted), Pattern.CASE_INSENSITIVE);
    }

    private static String snake(String s) {
      StringBuilder sb = new StringBuilder();
      for (char c : s.toCharArray()) {
        if (Character.isUpperCase(c)) {
          sb.append('_').append(Character.toLowerCase(c));
        } else {
          sb.append(c);
        }
      }
      return sb.toString();
    }
  }
}
