package dev.deferred.sample;

import dev.deferred.Iteration;
import dev.deferred.IterationOptions;
import dev.deferred.IterationProgress;
import dev.deferred.IterationQuery;
import dev.deferred.IterationService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.transaction.UserTransaction;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The iteration scenario: {@code POST /api/iterations?label=L&rows=N&shards=S} stores N parcels
 * (even ids in region EU, odd ids in region US, ids offset per label) and iterates over the EU
 * ones, on the queue {@code queue} if given, the callback failing {@code failTimes} times on parcel
 * {@code failRow} if given, each row taking {@code rowMillis} and each shard task having {@code
 * budgetMillis} if given; {@code GET /api/iterations/{id}?label=L} reports the progress, the
 * finalize count (in this server's memory, and in the shared database) and the rows' counters. With
 * {@code gated=true}, each shard's rows wait until {@code POST
 * /api/iterations/gates?label=L&shard=I} opens that shard's gate. {@code POST
 * /api/iterations/rolled-back?label=L} starts one in a transaction that then rolls back; {@code
 * DELETE /api/iterations/{id}} deletes its marker (the progress then answers 404, still with the
 * rows' counters and the finalize count).
 */
@Path("/iterations")
@ApplicationScoped
public class IterationScenarioResource {

  @Inject IterationService iterations;
  @Inject EntityManager em;
  @Inject UserTransaction transaction;
  @Inject RunLog runs;

  @POST
  @Produces(MediaType.APPLICATION_JSON)
  @Transactional
  public JsonObject start(
      @QueryParam("label") String label,
      @QueryParam("rows") int rows,
      @QueryParam("shards") int shards,
      @QueryParam("gated") boolean gated,
      @QueryParam("queue") @DefaultValue("default") String queue,
      @QueryParam("failRow") @DefaultValue("-1") long failRow,
      @QueryParam("failTimes") int failTimes,
      @QueryParam("budgetMillis") long budgetMillis,
      @QueryParam("rowMillis") long rowMillis) {
    if (rowMillis > 0) {
      ParcelSorter.ROW_MILLIS.put(label, rowMillis);
    }
    if (gated) {
      ParcelSorter.close(label, shards);
    }
    long base = offset(label);
    if (failRow >= 0) {
      ParcelSorter.FAILURES.put(base + failRow, new AtomicInteger(failTimes));
    }
    for (long i = 0; i < rows; i++) {
      em.persist(new Parcel(base + i, i % 2 == 0 ? "EU" : "US"));
    }
    em.flush();
    IterationOptions options =
        IterationOptions.shards(shards).queue(queue).deleteMarker(false).batchSize(4);
    // Inside this transaction: the iteration starts only once the parcels are committed.
    Iteration it =
        iterations.iterate(
            IterationQuery.of(Parcel.class)
                .where("e.region = :region and e.id >= :from and e.id < :to")
                .parameter("region", "EU")
                .parameter("from", base)
                .parameter("to", base + rows),
            ParcelSorter.class,
            (sorter, parcel) -> sorter.sort(parcel, label),
            sorter -> sorter.finished(label),
            budgetMillis > 0 ? options.timeBudget(Duration.ofMillis(budgetMillis)) : options);
    return Json.createObjectBuilder().add("id", it.id()).build();
  }

  /** Opens the gate of one shard of a gated iteration. */
  @POST
  @Path("gates")
  public Response open(@QueryParam("label") String label, @QueryParam("shard") int shard) {
    return Response.status(ParcelSorter.open(label, shard) ? 204 : 404).build();
  }

  /**
   * Stores a parcel and starts an iteration over it in one transaction, which then rolls back:
   * returns the iteration id and the state of its first task.
   */
  @POST
  @Path("rolled-back")
  @Produces(MediaType.APPLICATION_JSON)
  public JsonObject startAndRollBack(@QueryParam("label") String label) throws Exception {
    long base = offset(label);
    Iteration it;
    transaction.begin();
    try {
      em.persist(new Parcel(base, "EU"));
      it =
          iterations.iterate(
              IterationQuery.of(Parcel.class)
                  .where("e.id >= :from and e.id < :to")
                  .parameter("from", base)
                  .parameter("to", base + 1),
              ParcelSorter.class,
              (sorter, parcel) -> sorter.sort(parcel, label),
              sorter -> sorter.finished(label),
              IterationOptions.shards(2).deleteMarker(false));
    } finally {
      transaction.rollback();
    }
    return Json.createObjectBuilder()
        .add("id", it.id())
        .add("startTask", it.startTask().state().name())
        .build();
  }

  @GET
  @Path("{id}")
  @Produces(MediaType.APPLICATION_JSON)
  @Transactional
  public Response progress(@PathParam("id") String id, @QueryParam("label") String label) {
    IterationProgress p = iterations.progress(id).orElse(null);
    long base = offset(label);
    List<Parcel> parcels =
        em.createQuery(
                "SELECT p FROM Parcel p WHERE p.id >= :from AND p.id < :to ORDER BY p.id",
                Parcel.class)
            .setParameter("from", base)
            .setParameter("to", base + 1_000_000)
            .getResultList();
    JsonObjectBuilder rows = Json.createObjectBuilder();
    for (Parcel parcel : parcels) {
      rows.add(
          String.valueOf(parcel.getId() - base),
          Json.createObjectBuilder()
              .add("region", parcel.getRegion())
              .add("handled", parcel.getHandled())
              .add("shard", parcel.getShard() == null ? -1 : parcel.getShard())
              .add("handledBy", parcel.getHandledBy() == null ? "" : parcel.getHandledBy()));
    }
    AtomicInteger finished = ParcelSorter.FINISHED.get(label);
    JsonObjectBuilder body =
        Json.createObjectBuilder()
            .add("finalized", finished == null ? 0 : finished.get())
            .add("finalizedRuns", runs.count(label, "finalized"))
            .add("rows", rows);
    if (p == null) {
      // No marker: 404, with the rows' counters and the finalize count all the same.
      return Response.status(404).entity(body.build()).build();
    }
    return Response.ok(
            body.add("state", p.state().name())
                .add("shards", p.shards())
                .add("shardsFinished", p.shardsFinished())
                .add("rowsProcessed", p.rowsProcessed())
                .build())
        .build();
  }

  /** Deletes the iteration's marker: 204, or 404 if there was none. */
  @DELETE
  @Path("{id}")
  public Response deleteMarker(@PathParam("id") String id) {
    return Response.status(iterations.deleteMarker(id) ? 204 : 404).build();
  }

  /** Each label gets its own id range, so scenarios never share rows. */
  private static long offset(String label) {
    return (Math.abs((long) label.hashCode()) % 1_000) * 1_000_000L;
  }
}
