package dev.deferred.sample;

import dev.deferred.DeferOptions;
import dev.deferred.DeferredTask;
import dev.deferred.Deferrer;
import dev.deferred.FailedTask;
import dev.deferred.FailedTaskFilter;
import dev.deferred.FailedTasks;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * The multi-instance scenario: several servers run this application behind one load balancer and
 * one Cloud Tasks queue. Every endpoint answers with the name of the instance that served it.
 *
 * <ul>
 *   <li>{@code POST /api/scaleout/batches/{batch}?from=F&count=N&queue=Q} defers items F to F+N-1
 *       of a batch of {@link ScaleOutTasks#run} tasks from this instance;
 *   <li>{@code POST /api/scaleout/large/{batch}?chars=N} defers one task with an N-character
 *       argument (through the payload store when large);
 *   <li>{@code POST /api/scaleout/failing/{batch}} defers a task that fails for good once;
 *   <li>{@code GET /api/scaleout/batches/{batch}} lists the runs the tasks of a batch recorded in
 *       the shared database;
 *   <li>{@code GET /api/scaleout/failed-tasks?method=M} and {@code POST
 *       /api/scaleout/failed-tasks/{id}/redefer}: the library's {@link FailedTasks} API over HTTP.
 * </ul>
 *
 * <p>A sample for local tests: a real application puts the failed-task endpoints behind a role, as
 * the application console does.
 */
@RequestScoped
@Path("/scaleout")
@Produces(MediaType.APPLICATION_JSON)
public class ScaleOutResource {

  @Inject Deferrer deferrer;
  @Inject RunLog runs;
  @Inject FailedTasks failedTasks;

  @GET
  @Path("/instance")
  public JsonObject instance() {
    return Json.createObjectBuilder().add("instance", runs.instance()).build();
  }

  @POST
  @Path("/batches/{batch}")
  public JsonObject deferBatch(
      @PathParam("batch") String batch,
      @QueryParam("from") @DefaultValue("0") int from,
      @QueryParam("count") @DefaultValue("1") int count,
      @QueryParam("queue") @DefaultValue("scaleout") String queue) {
    if (count < 1 || count > 10_000) {
      throw new jakarta.ws.rs.BadRequestException(
          "count must be between 1 and 10000, was " + count);
    }
    String me = runs.instance();
    DeferOptions options = DeferOptions.queue(queue);
    for (int i = from; i < from + count; i++) {
      int item = i;
      deferrer.defer(ScaleOutTasks.class, t -> t.run(batch, item, me), options);
    }
    return Json.createObjectBuilder().add("instance", me).add("deferred", count).build();
  }

  @POST
  @Path("/large/{batch}")
  public JsonObject deferLarge(
      @PathParam("batch") String batch, @QueryParam("chars") @DefaultValue("200000") int chars) {
    String me = runs.instance();
    String text = "x".repeat(chars);
    DeferredTask task =
        deferrer.defer(
            ScaleOutTasks.class, t -> t.runLarge(batch, me, text), DeferOptions.queue("scaleout"));
    return Json.createObjectBuilder()
        .add("instance", me)
        .add("name", task.name().orElse(""))
        .build();
  }

  @POST
  @Path("/failing/{batch}")
  public JsonObject deferFailing(@PathParam("batch") String batch) {
    String me = runs.instance();
    DeferredTask task =
        deferrer.defer(
            ScaleOutTasks.class, t -> t.failOnce(batch, me), DeferOptions.queue("scaleout"));
    return Json.createObjectBuilder()
        .add("instance", me)
        .add("name", task.name().orElse(""))
        .build();
  }

  @GET
  @Path("/batches/{batch}")
  public JsonObject batch(@PathParam("batch") String batch) {
    JsonArrayBuilder rows = Json.createArrayBuilder();
    for (TaskRun run : runs.batch(batch)) {
      JsonObjectBuilder row =
          Json.createObjectBuilder()
              .add("item", run.getItem())
              .add("event", run.getEvent())
              .add("instance", run.getInstance())
              .add("retryCount", run.getRetryCount())
              .add("executionCount", run.getExecutionCount());
      if (run.getDeferredBy() != null) {
        row.add("deferredBy", run.getDeferredBy());
      }
      if (run.getTaskName() != null) {
        row.add("taskName", run.getTaskName());
      }
      if (run.getDetail() != null) {
        row.add("detail", run.getDetail());
      }
      rows.add(row);
    }
    return Json.createObjectBuilder().add("instance", runs.instance()).add("runs", rows).build();
  }

  @GET
  @Path("/failed-tasks")
  public JsonObject failedTasks(@QueryParam("method") String method) {
    FailedTaskFilter filter = FailedTaskFilter.all().bean(ScaleOutTasks.class);
    if (method != null) {
      filter = filter.method(method);
    }
    JsonArrayBuilder tasks = Json.createArrayBuilder();
    for (FailedTask task : failedTasks.list(filter, 1000).tasks()) {
      JsonObjectBuilder t =
          Json.createObjectBuilder()
              .add("id", task.id())
              .add("queue", task.queue())
              .add("exceptionClass", task.exceptionClass())
              .add("redeferrable", task.redeferrable())
              .add("arguments", argumentsOf(task));
      task.taskName().ifPresent(n -> t.add("taskName", n));
      task.message().ifPresent(m -> t.add("message", m));
      task.redeferredAs().ifPresent(n -> t.add("redeferredAs", n));
      tasks.add(t);
    }
    return Json.createObjectBuilder().add("instance", runs.instance()).add("tasks", tasks).build();
  }

  @POST
  @Path("/failed-tasks/{id}/redefer")
  public JsonObject redefer(@PathParam("id") String id) {
    if (failedTasks.find(id).isEmpty()) {
      throw new NotFoundException("No failed task " + id);
    }
    DeferredTask task = failedTasks.redefer(id);
    return Json.createObjectBuilder()
        .add("instance", runs.instance())
        .add("name", task.name().orElse(""))
        .build();
  }

  private static String argumentsOf(FailedTask task) {
    return task.arguments()
        .map(args -> args.stream().map(FailedTask.Argument::json).toList().toString())
        .orElse("");
  }
}
