package dev.deferred.impl.operations;

import dev.deferred.TaskCounts;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * {@link TaskCounts}: in-process counters fed by a {@link TaskObserver} that the defer engine and
 * the task handler call whether or not OpenTelemetry is there. A delivery is counted by the queue
 * Cloud Tasks names in its headers, and only once it is known to be genuine: a rejected request
 * (forged, too large) counts nowhere.
 */
@ApplicationScoped
public class TaskCounters implements TaskCounts {

  private final ConcurrentHashMap<String, Counters> queues = new ConcurrentHashMap<>();
  private final Instant since = Clock.systemUTC().instant();

  private final TaskObserver observer =
      new TaskObserver() {
        @Override
        public Map<String, String> deferring(String queue, String method) {
          counters(queue).deferred.increment();
          return Map.of();
        }

        @Override
        public Execution executing(Function<String, String> header) {
          String queue = header.apply("X-CloudTasks-QueueName");
          if (queue == null) {
            queue = header.apply("X-AppEngine-QueueName");
          }
          return queue == null ? Execution.NONE : new Counted(queue);
        }
      };

  private final class Counted implements TaskObserver.Execution {
    private final String queue;

    Counted(String queue) {
      this.queue = queue;
    }

    @Override
    public void ended(TaskObserver.Outcome outcome, int status) {
      switch (outcome) {
        case SUCCEEDED -> counters(queue).succeeded.increment();
        case RETRIED -> counters(queue).retried.increment();
        case FAILED_PERMANENTLY -> counters(queue).failed.increment();
        case REJECTED -> {
          // not a task: nothing ran
        }
      }
    }
  }

  private static final class Counters {
    final LongAdder deferred = new LongAdder();
    final LongAdder succeeded = new LongAdder();
    final LongAdder retried = new LongAdder();
    final LongAdder failed = new LongAdder();

    QueueCounts snapshot() {
      return new QueueCounts(deferred.sum(), succeeded.sum(), retried.sum(), failed.sum());
    }
  }

  private Counters counters(String queue) {
    return queues.computeIfAbsent(queue, q -> new Counters());
  }

  /**
   * Shows the configured queues even before anything happened on them.
   *
   * @param configured the configured queue ids
   */
  public void declare(Collection<String> configured) {
    configured.forEach(this::counters);
  }

  /** The observer that feeds these counters. */
  public TaskObserver observer() {
    return observer;
  }

  @Override
  public Instant since() {
    return since;
  }

  @Override
  public Map<String, QueueCounts> byQueue() {
    Map<String, QueueCounts> snapshot = new TreeMap<>();
    queues.forEach((queue, c) -> snapshot.put(queue, c.snapshot()));
    return java.util.Collections.unmodifiableMap(snapshot);
  }
}
