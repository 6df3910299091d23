package dev.deferred.sample;

import dev.deferred.DeferOptions;
import dev.deferred.DeferredTask;
import dev.deferred.Deferrer;
import dev.deferred.DuplicateTaskException;
import dev.deferred.EntityArguments;
import dev.deferred.TaskContext;
import dev.deferred.TaskEncodingException;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.UserTransaction;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Endpoints that the integration tests drive: each defers one call with the options of a {@link
 * DeferRequest}, optionally inside a JTA transaction that commits or rolls back. What the task did
 * is then read from {@code GET /api/journal?key=...}.
 */
@RequestScoped
@Path("/scenarios")
@Produces(MediaType.APPLICATION_JSON)
public class ScenarioResource {

  @Inject Deferrer deferrer;
  @Inject Newsletter newsletter;
  @Inject NoteRepository notes;
  @Inject TaskContext context;

  @Resource UserTransaction utx;

  /**
   * Defers the call named by {@code request.task()}.
   *
   * @return 200 with the task's queue, state and name; 400 with the message when the call site
   *     rejects the defer; 409 for a duplicate name with {@code failOnDuplicate}
   */
  @POST
  @Path("/defer")
  @Consumes(MediaType.APPLICATION_JSON)
  public Response defer(DeferRequest request) throws Exception {
    String transaction = request.transaction() == null ? "none" : request.transaction();
    boolean inTransaction = !transaction.equals("none");
    if (inTransaction) {
      utx.begin();
    }
    try {
      Map<String, Object> result = deferNow(request);
      if (transaction.equals("rollback")) {
        utx.rollback();
      } else if (inTransaction) {
        utx.commit();
      }
      DeferredTask task = (DeferredTask) result.remove("task");
      if (task != null) {
        // Read after the transaction ended: a transactional task learns its name at commit.
        result.put("queue", task.queue());
        result.put("state", task.state().name());
        task.name().ifPresent(name -> result.put("name", name));
      }
      return Response.ok(result).build();
    } catch (TaskEncodingException e) {
      Map<String, Object> error = error(e);
      error.put("method", e.method());
      e.parameterIndex().ifPresent(i -> error.put("parameterIndex", i));
      e.parameterName().ifPresent(n -> error.put("parameterName", n));
      error.put("reason", e.reason());
      return Response.status(Response.Status.BAD_REQUEST).entity(error).build();
    } catch (DuplicateTaskException e) {
      return Response.status(Response.Status.CONFLICT).entity(error(e)).build();
    } catch (IllegalArgumentException | IllegalStateException e) {
      return Response.status(Response.Status.BAD_REQUEST).entity(error(e)).build();
    } finally {
      rollbackIfActive();
    }
  }

  /** The {@link TaskContext} outside a task, for comparison with the values inside one. */
  @GET
  @Path("/context")
  public TaskView contextOutsideTask() {
    return TaskView.of(context);
  }

  private Map<String, Object> deferNow(DeferRequest r) {
    DeferOptions options = options(r);
    String key = r.key();
    String message = r.message() == null ? "" : r.message();
    int failures = r.failures() == null ? 0 : r.failures();
    Map<String, Object> result = new LinkedHashMap<>();
    DeferredTask task =
        switch (r.task()) {
          case "record" -> deferrer.defer(Tasks.class, t -> t.record(key, message), options);
          case "recordLength" -> {
            String big = "x".repeat(r.size());
            yield deferrer.defer(Tasks.class, t -> t.recordLength(key, big), options);
          }
          case "failThenSucceed" ->
              deferrer.defer(Tasks.class, t -> t.failThenSucceed(key, failures), options);
          case "singularThenSucceed" ->
              deferrer.defer(Tasks.class, t -> t.singularThenSucceed(key, failures), options);
          case "failPermanently" ->
              deferrer.defer(Tasks.class, t -> t.failPermanently(key), options);
          case "alwaysFail" -> deferrer.defer(Tasks.class, t -> t.alwaysFail(key), options);
          case "chain" -> deferrer.defer(Tasks.class, t -> t.chain(key, message), options);
          case "greet" -> deferrer.defer(Greeter.class, g -> g.greet(key, message), options);
          case "opaque" ->
              deferrer.defer(Tasks.class, t -> t.recordOpaque(key, new Opaque(message)), options);
          case "processNote", "recordNoteText", "announce" -> {
            Note note = notes.create(r.noteText() == null ? "note of " + key : r.noteText());
            result.put("noteId", note.getId());
            DeferredTask deferred =
                switch (r.task()) {
                  case "processNote" ->
                      deferrer.defer(Tasks.class, t -> t.processNote(note, key), options);
                  case "recordNoteText" ->
                      deferrer.defer(Tasks.class, t -> t.recordNoteText(note, key), options);
                  default -> {
                    newsletter.announce(note, key);
                    yield null;
                  }
                };
            if (r.noteTextAfterDefer() != null) {
              notes.rename(note.getId(), r.noteTextAfterDefer());
            }
            yield deferred;
          }
          case "newsletter" -> {
            // @Deferred: the call itself enqueues; it returns nothing to report.
            newsletter.send(key, message);
            yield null;
          }
          default ->
              throw new IllegalArgumentException(
                  "Unknown task '" + r.task() + "' in the scenario request");
        };
    result.put("task", task);
    return result;
  }

  private static DeferOptions options(DeferRequest r) {
    DeferOptions o = DeferOptions.defaults();
    if (r.queue() != null) {
      o = o.onQueue(r.queue());
    }
    if (r.etaEpochMillis() != null) {
      o = o.eta(Instant.ofEpochMilli(r.etaEpochMillis()));
    }
    if (r.countdownMillis() != null) {
      o = o.countdown(Duration.ofMillis(r.countdownMillis()));
    }
    if (r.name() != null) {
      o = o.name(r.name());
    }
    if (r.headers() != null) {
      for (Map.Entry<String, String> h : r.headers().entrySet()) {
        o = o.header(h.getKey(), h.getValue());
      }
    }
    if (r.transactional() != null) {
      o = o.transactional(r.transactional());
    }
    if (r.maxAttempts() != null) {
      o = o.maxAttempts(r.maxAttempts());
    }
    if (r.maxAgeMillis() != null) {
      o = o.maxAge(Duration.ofMillis(r.maxAgeMillis()));
    }
    if (r.dispatchDeadlineSeconds() != null) {
      o = o.dispatchDeadline(Duration.ofSeconds(r.dispatchDeadlineSeconds()));
    }
    if (r.handlerUrl() != null) {
      o = o.handlerUrl(URI.create(r.handlerUrl()));
    }
    if ("loud".equals(r.qualifier())) {
      o = o.qualifiers(Loud.Literal.INSTANCE);
    }
    if (r.entityArguments() != null) {
      o = o.entityArguments(EntityArguments.valueOf(r.entityArguments().toUpperCase(Locale.ROOT)));
    }
    if (Boolean.TRUE.equals(r.smallTask())) {
      o = o.smallTask();
    }
    if (Boolean.TRUE.equals(r.failOnDuplicate())) {
      o = o.failOnDuplicate();
    }
    return o;
  }

  private void rollbackIfActive() throws SystemException {
    if (utx.getStatus() != Status.STATUS_NO_TRANSACTION) {
      utx.rollback();
    }
  }

  private static Map<String, Object> error(RuntimeException e) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("error", e.getClass().getName());
    error.put("message", e.getMessage());
    return error;
  }
}
