/**
 * Deferred: run any CDI bean method call later, in the background, through Google Cloud Tasks.
 *
 * <p>This package is the public API: everything an application compiles against. There are two ways
 * to defer a call:
 *
 * <ul>
 *   <li>inject {@link dev.deferred.Deferrer} and defer any bean method, with per-call {@link
 *       dev.deferred.DeferOptions}:
 *       <pre>{@code
 * deferrer.defer(ReportService.class, r -> r.generate(customerId, month),
 *     DeferOptions.queue("reports").countdown(Duration.ofMinutes(5)).name("report-42"));
 * }</pre>
 *   <li>annotate a bean method {@link dev.deferred.Deferred @Deferred}: calling it through CDI
 *       enqueues the call instead of running it.
 * </ul>
 *
 * <p>Inside a task, inject {@link dev.deferred.TaskContext} to learn the queue, task name and retry
 * count, and throw {@link dev.deferred.PermanentTaskFailure} or {@link
 * dev.deferred.SingularTaskFailure} to control retries. Restrict the application's own JAX-RS
 * endpoints to Cloud Tasks with {@link dev.deferred.TaskOnly @TaskOnly}. Inject {@link
 * dev.deferred.FailedTasks} to list, re-defer and delete the tasks that failed for good.
 */
package dev.deferred;
