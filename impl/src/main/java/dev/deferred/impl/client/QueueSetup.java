package dev.deferred.impl.client;

import com.google.api.gax.rpc.AlreadyExistsException;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.QueueName;
import com.google.cloud.tasks.v2.RateLimits;
import com.google.cloud.tasks.v2.RetryConfig;
import com.google.protobuf.FieldMask;
import dev.deferred.impl.config.DeferredConfig;
import dev.deferred.impl.config.Messages;
import dev.deferred.impl.config.QueueConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Creates each configured queue at startup, or updates it when its configuration differs (djangae
 * does the same from CLOUD_TASKS_QUEUES). Only the settings that are configured are written, so a
 * queue tuned in the console keeps what the application does not say. Several instances of an
 * application start at once and run this concurrently: a queue that another instance creates
 * between this one's read and its create is then compared and updated like any existing queue.
 */
public final class QueueSetup {
  private static final Logger LOG = Logger.getLogger(QueueSetup.class.getName());

  private QueueSetup() {}

  /** The queue proto for a configuration, with only the configured fields set. */
  public static Queue toQueue(String project, String location, QueueConfig q) {
    Queue.Builder b =
        Queue.newBuilder().setName(QueueName.of(project, location, q.name()).toString());
    RateLimits.Builder rate = RateLimits.newBuilder();
    q.ratePerSecond().ifPresent(rate::setMaxDispatchesPerSecond);
    q.rateMaxConcurrent().ifPresent(rate::setMaxConcurrentDispatches);
    if (q.ratePerSecond().isPresent() || q.rateMaxConcurrent().isPresent()) {
      b.setRateLimits(rate);
    }
    RetryConfig.Builder retry = RetryConfig.newBuilder();
    q.retryMaxAttempts().ifPresent(retry::setMaxAttempts);
    q.retryMinBackoff().ifPresent(d -> retry.setMinBackoff(proto(d)));
    q.retryMaxBackoff().ifPresent(d -> retry.setMaxBackoff(proto(d)));
    q.retryMaxDoublings().ifPresent(retry::setMaxDoublings);
    q.retryMaxDuration().ifPresent(d -> retry.setMaxRetryDuration(proto(d)));
    if (!mask(q).isEmpty()) {
      b.setRetryConfig(retry);
    }
    return b.build();
  }

  /**
   * What {@link #sync} did, queue ids in configuration order: for the startup summary.
   *
   * @param created queues that did not exist
   * @param updated queues whose configured settings differed
   * @param unchanged queues that already had the configured settings
   * @param failed queues that could not be read, created or updated (each logged as a warning)
   */
  public record Outcome(
      List<String> created, List<String> updated, List<String> unchanged, List<String> failed) {}

  /**
   * Creates or updates every configured queue; logs a warning for each one that fails.
   *
   * @return what was done to each queue
   */
  public static Outcome sync(CloudTasksClient client, DeferredConfig config) {
    Outcome outcome =
        new Outcome(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    String unreachable = null;
    for (QueueConfig q : config.queues().values()) {
      if (unreachable != null) {
        // One unreachable service is enough: do not wait out the client's retries per queue.
        LOG.warning(Messages.queueSetupFailed(q.name(), unreachable));
        outcome.failed().add(q.name());
        continue;
      }
      Queue wanted = toQueue(config.project(), config.location(), q);
      try {
        Queue existing;
        try {
          existing = client.getQueue(wanted.getName());
        } catch (NotFoundException e) {
          try {
            client.createQueue(
                com.google.cloud.tasks.v2.LocationName.of(config.project(), config.location())
                    .toString(),
                wanted);
            outcome.created().add(q.name());
            continue;
          } catch (AlreadyExistsException raced) {
            // Another instance of the application, starting at the same time, created it between
            // the read and the create: it exists now, so compare it like any existing queue.
            existing = client.getQueue(wanted.getName());
          }
        }
        List<String> paths = new ArrayList<>();
        if (q.ratePerSecond().isPresent()
            && existing.getRateLimits().getMaxDispatchesPerSecond()
                != wanted.getRateLimits().getMaxDispatchesPerSecond()) {
          paths.add("rate_limits.max_dispatches_per_second");
        }
        if (q.rateMaxConcurrent().isPresent()
            && existing.getRateLimits().getMaxConcurrentDispatches()
                != wanted.getRateLimits().getMaxConcurrentDispatches()) {
          paths.add("rate_limits.max_concurrent_dispatches");
        }
        for (String p : mask(q)) {
          if (!retryFieldEquals(p, existing.getRetryConfig(), wanted.getRetryConfig())) {
            paths.add(p);
          }
        }
        if (!paths.isEmpty()) {
          client.updateQueue(wanted, FieldMask.newBuilder().addAllPaths(paths).build());
          outcome.updated().add(q.name());
        } else {
          outcome.unchanged().add(q.name());
        }
      } catch (ApiException e) {
        LOG.log(
            Level.WARNING, Messages.queueSetupFailed(q.name(), String.valueOf(e.getMessage())), e);
        outcome.failed().add(q.name());
        StatusCode.Code code = e.getStatusCode().getCode();
        if (code == StatusCode.Code.UNAVAILABLE || code == StatusCode.Code.DEADLINE_EXCEEDED) {
          unreachable = String.valueOf(e.getMessage());
        }
      } catch (IllegalStateException e) {
        LOG.log(
            Level.WARNING, Messages.queueSetupFailed(q.name(), String.valueOf(e.getMessage())), e);
        outcome.failed().add(q.name());
      }
    }
    return outcome;
  }

  private static List<String> mask(QueueConfig q) {
    List<String> paths = new ArrayList<>();
    if (q.retryMaxAttempts().isPresent()) {
      paths.add("retry_config.max_attempts");
    }
    if (q.retryMinBackoff().isPresent()) {
      paths.add("retry_config.min_backoff");
    }
    if (q.retryMaxBackoff().isPresent()) {
      paths.add("retry_config.max_backoff");
    }
    if (q.retryMaxDoublings().isPresent()) {
      paths.add("retry_config.max_doublings");
    }
    if (q.retryMaxDuration().isPresent()) {
      paths.add("retry_config.max_retry_duration");
    }
    return paths;
  }

  private static boolean retryFieldEquals(String path, RetryConfig a, RetryConfig b) {
    return switch (path) {
      case "retry_config.max_attempts" -> a.getMaxAttempts() == b.getMaxAttempts();
      case "retry_config.min_backoff" -> a.getMinBackoff().equals(b.getMinBackoff());
      case "retry_config.max_backoff" -> a.getMaxBackoff().equals(b.getMaxBackoff());
      case "retry_config.max_doublings" -> a.getMaxDoublings() == b.getMaxDoublings();
      default -> a.getMaxRetryDuration().equals(b.getMaxRetryDuration());
    };
  }

  static com.google.protobuf.Duration proto(Duration d) {
    return com.google.protobuf.Duration.newBuilder()
        .setSeconds(d.getSeconds())
        .setNanos(d.getNano())
        .build();
  }
}
