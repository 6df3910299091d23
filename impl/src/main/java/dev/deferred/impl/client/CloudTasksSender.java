package dev.deferred.impl.client;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.ApiException;
import com.google.cloud.tasks.v2.AppEngineHttpRequest;
import com.google.cloud.tasks.v2.AppEngineRouting;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.HttpMethod;
import com.google.cloud.tasks.v2.HttpRequest;
import com.google.cloud.tasks.v2.OidcToken;
import com.google.cloud.tasks.v2.QueueName;
import com.google.cloud.tasks.v2.Task;
import com.google.cloud.tasks.v2.TaskName;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.deferred.DuplicateTaskException;
import dev.deferred.EnqueueException;
import dev.deferred.impl.codec.Signer;
import dev.deferred.impl.config.DeferredConfig;
import dev.deferred.impl.config.Messages;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** Creates tasks with the official Cloud Tasks client. */
public final class CloudTasksSender implements TaskSender {

  private final CloudTasksClient client;
  private final DeferredConfig config;
  private final Supplier<HandlerAddress> address;
  private final Clock clock;

  public CloudTasksSender(
      CloudTasksClient client,
      DeferredConfig config,
      Supplier<HandlerAddress> address,
      Clock clock) {
    this.client = client;
    this.config = config;
    this.address = address;
    this.clock = clock;
  }

  @Override
  public String create(TaskSpec spec) {
    Task task = toTask(spec);
    try {
      Task created =
          client.createTask(QueueName.of(config.project(), config.location(), spec.queue()), task);
      return TaskName.parse(created.getName()).getTask();
    } catch (AlreadyExistsException e) {
      throw new DuplicateTaskException(spec.queue(), spec.name());
    } catch (ApiException e) {
      throw new EnqueueException(
          spec.queue(),
          spec.name(),
          Messages.enqueueFailed(
              spec.queue(), spec.name(), e.getStatusCode().getCode() + ": " + e.getMessage()),
          e);
    } catch (RuntimeException e) {
      throw new EnqueueException(
          spec.queue(),
          spec.name(),
          Messages.enqueueFailed(spec.queue(), spec.name(), e.toString()),
          e);
    }
  }

  Task toTask(TaskSpec spec) {
    Task.Builder task = Task.newBuilder();
    if (spec.name() != null) {
      task.setName(
          TaskName.of(config.project(), config.location(), spec.queue(), spec.name()).toString());
    }
    spec.scheduleTime(Instant.now(clock)).ifPresent(t -> task.setScheduleTime(timestamp(t)));
    if (spec.dispatchDeadline() != null) {
      task.setDispatchDeadline(QueueSetup.proto(spec.dispatchDeadline()));
    }
    Map<String, String> headers = new LinkedHashMap<>(spec.headers());
    headers.put("Content-Type", "application/json");
    headers.put(Signer.HEADER, spec.signature());
    ByteString body = ByteString.copyFrom(spec.body());

    HandlerAddress handler = address.get();
    URI perTask = spec.handlerUrl();
    URI url;
    if (perTask != null && perTask.isAbsolute()) {
      url = perTask;
    } else if (perTask != null && handler.url().isPresent()) {
      // A path outside App Engine: same host as our own handler.
      url = handler.url().get().resolve(perTask);
    } else {
      // No URL at all means an App Engine target, with the per-task path if there is one.
      url = handler.url().orElse(null);
    }
    if (url != null) {
      HandlerAddress.requireSecure(config, url);
      String audience = handler.audienceFor(config, url);
      task.setHttpRequest(
          HttpRequest.newBuilder()
              .setUrl(url.toString())
              .setHttpMethod(HttpMethod.POST)
              .putAllHeaders(headers)
              .setBody(body)
              .setOidcToken(
                  OidcToken.newBuilder()
                      .setServiceAccountEmail(config.oidcServiceAccount())
                      .setAudience(audience)));
    } else {
      String relative = spec.handlerUrl() != null ? spec.handlerUrl().toString() : handler.path();
      AppEngineRouting.Builder routing = AppEngineRouting.newBuilder();
      orDefault(spec.service(), config.routingService().orElse(null), routing::setService);
      orDefault(spec.version(), config.routingVersion().orElse(null), routing::setVersion);
      orDefault(spec.instance(), config.routingInstance().orElse(null), routing::setInstance);
      task.setAppEngineHttpRequest(
          AppEngineHttpRequest.newBuilder()
              .setRelativeUri(relative)
              .setHttpMethod(HttpMethod.POST)
              .putAllHeaders(headers)
              .setBody(body)
              .setAppEngineRouting(routing));
    }
    return task.build();
  }

  private static void orDefault(
      String value, String fallback, java.util.function.Consumer<String> set) {
    String v = value != null ? value : fallback;
    if (v != null) {
      set.accept(v);
    }
  }

  private static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }
}
