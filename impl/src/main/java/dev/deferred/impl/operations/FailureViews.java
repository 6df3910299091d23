package dev.deferred.impl.operations;

import dev.deferred.DeferOptions;
import dev.deferred.FailedTask;
import dev.deferred.FailedTaskFilter;
import dev.deferred.impl.codec.DeliveryOptions;
import dev.deferred.impl.codec.JsonP;
import dev.deferred.impl.store.TaskFailure;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads failure records for people: the public {@link FailedTask} view, filters, and the payload of
 * a verified record ready to be sent again. JSON is only read here, never bound to the
 * application's classes, and only from payloads whose signature verified.
 */
final class FailureViews {

  /** Frames shown under the exception and under each cause. */
  static final int FRAMES = 5;

  private FailureViews() {}

  static FailedTask view(TaskFailure f, boolean verified) {
    Optional<List<FailedTask.Argument>> arguments = Optional.empty();
    Map<String, String> delivery = Map.of();
    boolean redeferrable = false;
    if (verified) {
      try {
        JsonObject call = call(f.payload());
        arguments = Optional.of(arguments(call));
        delivery = describe(DeliveryOptions.read(call, DeferOptions.queue(f.queue())));
        redeferrable = true;
      } catch (UnreadablePayload | IllegalArgumentException e) {
        // shown without arguments, and not re-deferrable
        arguments = Optional.empty();
        delivery = Map.of();
      }
    }
    return new FailedTask(
        f.id(),
        f.queue(),
        Optional.ofNullable(f.taskName()),
        Optional.ofNullable(f.beanType()),
        Optional.ofNullable(f.method()),
        arguments,
        delivery,
        f.exceptionClass(),
        Optional.ofNullable(f.message()),
        summary(f.stackTrace()),
        f.retryCount() + 1,
        Optional.ofNullable(f.firstAttemptAt()),
        f.failedAt(),
        Optional.ofNullable(f.redeferredAs()),
        Optional.ofNullable(f.redeferredAt()),
        redeferrable);
  }

  /** The delivery options of {@code o}, as {@link FailedTask#deliveryOptions()} shows them. */
  static Map<String, String> describe(DeferOptions o) {
    Map<String, String> shown = new LinkedHashMap<>();
    o.headers().forEach((name, value) -> shown.put("header " + name, value));
    o.service().ifPresent(v -> shown.put("service", v));
    o.version().ifPresent(v -> shown.put("version", v));
    o.instance().ifPresent(v -> shown.put("instance", v));
    o.handlerUrl().ifPresent(v -> shown.put("handlerUrl", v.toString()));
    o.dispatchDeadline().ifPresent(v -> shown.put("dispatchDeadline", v.toString()));
    return shown;
  }

  static boolean matches(FailedTaskFilter filter, TaskFailure f) {
    return filter.queue().map(f.queue()::equals).orElse(true)
        && filter.beanType().map(b -> b.equals(f.beanType())).orElse(true)
        && filter.method().map(m -> m.equals(methodName(f.method()))).orElse(true)
        && filter.failedAfter().map(a -> !f.failedAt().isBefore(a)).orElse(true)
        && filter.failedBefore().map(b -> f.failedAt().isBefore(b)).orElse(true);
  }

  /** {@code send} for {@code Mailer.send(String)} (or for a bare {@code send}). */
  static String methodName(String method) {
    if (method == null) {
      return null;
    }
    int paren = method.indexOf('(');
    String head = paren < 0 ? method : method.substring(0, paren);
    return head.substring(head.lastIndexOf('.') + 1);
  }

  /** The exception line and its first frames, then each cause line and its first frames. */
  static String summary(String stackTrace) {
    if (stackTrace == null || stackTrace.isBlank()) {
      return "";
    }
    List<String> kept = new ArrayList<>();
    int frames = 0;
    for (String line : stackTrace.split("\\R")) {
      String trimmed = line.strip();
      if (trimmed.startsWith("at ")) {
        if (frames++ < FRAMES) {
          kept.add(line);
        } else if (frames == FRAMES + 1) {
          kept.add("\t...");
        }
      } else if (trimmed.startsWith("...")) {
        continue;
      } else if (kept.isEmpty() || trimmed.startsWith("Caused by:")) {
        kept.add(line);
        frames = 0;
      } else if (frames == 0) {
        // continuation of a multi-line message
        kept.add(line);
      }
    }
    return String.join("\n", kept);
  }

  /** The recorded call, with {@code deferredAt} set to {@code now}: a new task's payload. */
  static byte[] renewed(byte[] payload, Instant now) throws UnreadablePayload {
    JsonObject call = call(payload);
    return JsonP.objectBuilder(call)
        .add("deferredAt", now.toString())
        .build()
        .toString()
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * {@code base} with the delivery options the call was deferred with (headers, App Engine routing,
   * handler URL, dispatch deadline), which the payload records since they are not in the request.
   */
  static DeferOptions deliveryOptions(byte[] payload, DeferOptions base) throws UnreadablePayload {
    try {
      return DeliveryOptions.read(call(payload), base);
    } catch (IllegalArgumentException e) {
      throw new UnreadablePayload("its delivery options are not valid: " + e.getMessage());
    }
  }

  private static JsonObject call(byte[] payload) throws UnreadablePayload {
    if (payload == null) {
      throw new UnreadablePayload("no payload");
    }
    JsonObject o;
    try (JsonReader r = JsonP.reader(payload)) {
      o = r.readObject();
    } catch (JsonException | IllegalStateException e) {
      throw new UnreadablePayload("not JSON: " + e.getMessage());
    }
    if (o.containsKey("stored")) {
      throw new UnreadablePayload("it refers to a stored payload instead of holding the call");
    }
    for (String key : List.of("bean", "method", "parameterTypes", "arguments", "deferredAt")) {
      if (!o.containsKey(key)) {
        throw new UnreadablePayload("no '" + key + "'");
      }
    }
    try {
      if (o.getJsonArray("parameterTypes").size() != o.getJsonArray("arguments").size()) {
        throw new UnreadablePayload("the numbers of parameter types and arguments differ");
      }
    } catch (ClassCastException e) {
      throw new UnreadablePayload("'parameterTypes' and 'arguments' must be arrays");
    }
    return o;
  }

  private static List<FailedTask.Argument> arguments(JsonObject call) throws UnreadablePayload {
    JsonArray types = call.getJsonArray("parameterTypes");
    JsonArray args = call.getJsonArray("arguments");
    List<FailedTask.Argument> result = new ArrayList<>();
    try {
      for (int i = 0; i < args.size(); i++) {
        JsonObject arg = args.getJsonObject(i);
        JsonValue shown = arg.containsKey("entity") ? arg : arg.get("value");
        if (shown == null) {
          throw new UnreadablePayload("argument " + i + " without value");
        }
        result.add(new FailedTask.Argument(types.getString(i), shown.toString()));
      }
    } catch (ClassCastException e) {
      throw new UnreadablePayload("malformed arguments: " + e.getMessage());
    }
    return result;
  }

  /** The recorded payload cannot be shown or sent as a call. */
  static final class UnreadablePayload extends Exception {
    private static final long serialVersionUID = 1L;

    UnreadablePayload(String reason) {
      super(reason);
    }
  }
}
