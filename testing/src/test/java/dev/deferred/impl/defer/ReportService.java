package dev.deferred.impl.defer;

import dev.deferred.TaskContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.YearMonth;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A bean with no Deferred annotation at all: any method can be deferred. */
@ApplicationScoped
public class ReportService {

  /** What a run saw. */
  public record Run(long customerId, YearMonth month, String queue, String task, int retryCount) {}

  public static final BlockingQueue<Run> RUNS = new LinkedBlockingQueue<>();

  @Inject TaskContext context;

  public void generate(long customerId, YearMonth month) {
    RUNS.add(
        new Run(customerId, month, context.queueName(), context.taskName(), context.retryCount()));
  }

  public int count(Report report) {
    RUNS.add(
        new Run(report.customerId(), report.month(), context.queueName(), context.taskName(), 0));
    return 1;
  }

  public void archive(Object anything) {}

  public void mail(Recipient recipient) {}

  /** A bean whose name has no setter: JSON-B writes it but cannot read it back. */
  public static class Recipient {
    private final String name;

    public Recipient() {
      this("nobody");
    }

    public Recipient(String name) {
      this.name = name;
    }

    public String getName() {
      return name;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Recipient r && r.name.equals(name);
    }

    @Override
    public int hashCode() {
      return name.hashCode();
    }

    @Override
    public String toString() {
      return "Recipient[" + name + "]";
    }
  }

  /** A record argument: round-trips through JSON-B as is. */
  public record Report(long customerId, YearMonth month) {}
}
