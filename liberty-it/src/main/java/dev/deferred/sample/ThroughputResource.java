package dev.deferred.sample;

import dev.deferred.DeferOptions;
import dev.deferred.DeferredTask;
import dev.deferred.Deferrer;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test instrumentation for the throughput measurements of docs/performance.md (the liberty-it
 * {@code ThroughputIT}): a no-op JAX-RS endpoint, the baseline, and the deferral of no-op tasks
 * whose calls the same {@link Throughput} bean counts.
 */
@RequestScoped
@Path("/throughput")
public class ThroughputResource {

  @Inject Throughput throughput;
  @Inject Deferrer deferrer;

  /**
   * The baseline: a no-op request that reads its body and counts the call.
   *
   * @param body the request body, read and ignored
   * @return 204
   */
  @POST
  @Path("noop")
  @Consumes(MediaType.WILDCARD)
  public Response noop(byte[] body) {
    throughput.run();
    return Response.noContent().build();
  }

  /**
   * Defers {@code count} no-op tasks ({@link Throughput#run()}), round-robin over {@code queues}.
   *
   * @param count how many tasks, 1 to 1,000,000
   * @param queues comma-separated queue ids
   * @return 200 with how many were deferred and the name of the first task
   */
  @POST
  @Path("defer")
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> defer(
      @QueryParam("count") int count, @QueryParam("queues") String queues) {
    if (count < 1 || count > 1_000_000 || queues == null || queues.isBlank()) {
      throw new BadRequestException(
          "Give count (1 to 1000000) and queues (comma-separated queue ids), e.g."
              + " ?count=100&queues=throughput-1");
    }
    List<DeferOptions> options =
        List.of(queues.split(",")).stream().map(q -> DeferOptions.queue(q.trim())).toList();
    String first = null;
    for (int i = 0; i < count; i++) {
      DeferredTask task =
          deferrer.defer(Throughput.class, Throughput::run, options.get(i % options.size()));
      if (first == null) {
        first = task.name().orElse(null);
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("deferred", count);
    result.put("first", first);
    return result;
  }

  /**
   * The calls counted since the last reset.
   *
   * @return {@code {"calls": n}}
   */
  @GET
  @Path("calls")
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Long> calls() {
    return Map.of("calls", throughput.calls());
  }

  /**
   * Starts counting from zero.
   *
   * @return 204
   */
  @POST
  @Path("reset")
  public Response reset() {
    throughput.reset();
    return Response.noContent().build();
  }
}
