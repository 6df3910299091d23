package dev.deferred.impl;

import dev.deferred.impl.client.CloudTasksConnection;
import dev.deferred.impl.client.EmulatorLauncher;
import dev.deferred.impl.client.HandlerAddress;
import dev.deferred.impl.client.QueueSetup;
import dev.deferred.impl.config.DeferredConfig;
import dev.deferred.impl.config.Messages;
import dev.deferred.impl.config.Mode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The one INFO line logged at application start: mode, where Cloud Tasks is (the embedded
 * emulator's addresses, its console among them), what happened to each configured queue, where
 * tasks are sent, and the stores. It names places only: no signing key, token or credential ever
 * appears in it.
 */
final class StartupSummary {
  private StartupSummary() {}

  static String message(
      DeferredConfig config,
      CloudTasksConnection connection,
      HandlerAddress address,
      Optional<QueueSetup.Outcome> queueOutcome,
      Object payloadStore,
      Object failureStore) {
    return Messages.startupSummary(
        config.mode().configValue(),
        config.project(),
        config.location(),
        cloudTasks(config, connection),
        queues(config, queueOutcome),
        tasks(config, address),
        "payloads in " + store(payloadStore) + ", failure records in " + store(failureStore));
  }

  private static String cloudTasks(DeferredConfig config, CloudTasksConnection connection) {
    return switch (config.mode()) {
      case CLOUD -> "Google Cloud Tasks";
      case EMULATOR -> "the emulator at " + config.emulatorHost().orElse("?");
      case EMBEDDED -> {
        EmulatorLauncher emulator = connection.emulator().orElseThrow();
        yield "the emulator embedded in the application, gRPC "
            + emulator.grpcTarget()
            + ", REST "
            + emulator.jwksUri().resolve("/")
            + ", console "
            + emulator.consoleUrl();
      }
    };
  }

  private static String queues(DeferredConfig config, Optional<QueueSetup.Outcome> outcome) {
    String names = String.join(", ", config.queues().keySet());
    if (config.mode() == Mode.EMBEDDED) {
      return names + " (declared in the embedded emulator)";
    }
    if (outcome.isEmpty()) {
      return names + " (neither created nor updated: deferred.create-queues=false)";
    }
    QueueSetup.Outcome o = outcome.get();
    List<String> each = new ArrayList<>();
    for (String queue : config.queues().keySet()) {
      String what =
          o.created().contains(queue)
              ? "created"
              : o.updated().contains(queue)
                  ? "updated"
                  : o.unchanged().contains(queue) ? "unchanged" : "not set up, see DEFERRED-0304";
      each.add(queue + " (" + what + ")");
    }
    return String.join(", ", each);
  }

  private static String tasks(DeferredConfig config, HandlerAddress address) {
    if (address.url().isPresent()) {
      return withoutUserInfo(address.url().get()).toString();
    }
    StringBuilder s = new StringBuilder("App Engine targets at ").append(address.path());
    config.routingService().ifPresent(v -> s.append(", service ").append(v));
    config.routingVersion().ifPresent(v -> s.append(", version ").append(v));
    config.routingInstance().ifPresent(v -> s.append(", instance ").append(v));
    return s.toString();
  }

  /** The URL without user info or query, which could carry a credential. */
  private static URI withoutUserInfo(URI uri) {
    try {
      return new URI(
          uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
    } catch (URISyntaxException e) {
      return URI.create(uri.getScheme() + "://" + uri.getHost());
    }
  }

  private static String store(Object store) {
    String name = store.getClass().getSimpleName();
    if (name.startsWith("InMemory")) {
      return "memory";
    }
    if (name.startsWith("Datastore")) {
      return "Datastore";
    }
    return store.getClass().getName();
  }
}
