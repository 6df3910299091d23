package dev.deferred.sample;

import jakarta.persistence.Cacheable;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/**
 * One run of a task, written to the application's database by the task itself: which instance of
 * the application ran it, and what Cloud Tasks said about the attempt. Unlike the {@link
 * TaskJournal}, which lives in one server's memory, these rows survive a server that dies and are
 * seen by every instance sharing the database; the multi-instance tests count them.
 */
@Entity
@Cacheable(false)
@Table(name = "TASK_RUN")
public class TaskRun {

  @Id
  @Column(length = 36)
  private String id;

  /** The caller's name for a group of tasks. */
  @Column(nullable = false, length = 100)
  private String batch;

  /** The task's number within its batch; -1 for a task that is not one of a numbered series. */
  private int item;

  /** What happened: {@code ran}, {@code failed}, {@code finalized}. */
  @Column(nullable = false, length = 20)
  private String event;

  /** The instance that ran it ({@code sample.instance}). */
  @Column(nullable = false, length = 40)
  private String instance;

  /** The instance that deferred it, as the task's argument says. */
  @Column(length = 40)
  private String deferredBy;

  @Column(length = 500)
  private String taskName;

  private int retryCount;

  private int executionCount;

  @Column(length = 200)
  private String detail;

  private long at;

  protected TaskRun() {
    // for JPA
  }

  TaskRun(
      String batch,
      int item,
      String event,
      String instance,
      String deferredBy,
      String taskName,
      int retryCount,
      int executionCount,
      String detail) {
    this.id = UUID.randomUUID().toString();
    this.batch = batch;
    this.item = item;
    this.event = event;
    this.instance = instance;
    this.deferredBy = deferredBy;
    this.taskName = taskName;
    this.retryCount = retryCount;
    this.executionCount = executionCount;
    this.detail = detail;
    this.at = System.currentTimeMillis();
  }

  public String getId() {
    return id;
  }

  public String getBatch() {
    return batch;
  }

  public int getItem() {
    return item;
  }

  public String getEvent() {
    return event;
  }

  public String getInstance() {
    return instance;
  }

  public String getDeferredBy() {
    return deferredBy;
  }

  public String getTaskName() {
    return taskName;
  }

  public int getRetryCount() {
    return retryCount;
  }

  public int getExecutionCount() {
    return executionCount;
  }

  public String getDetail() {
    return detail;
  }

  public long getAt() {
    return at;
  }
}
