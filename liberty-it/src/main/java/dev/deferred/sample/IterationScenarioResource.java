package dev.deferred.sample;

import dev.deferred.Iteration;
import dev.deferred.IterationOptions;
import dev.deferred.IterationProgress;
import dev.deferred.IterationQuery;
import dev.deferred.IterationService;
import dev.deferred.KeyRangeStrategy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
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
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

/**
 * The iteration scenario: {@code POST /api/iterations?label=L&rows=N&shards=S} stores N parcels
 * (even ids in region EU, odd ids in region US, ids offset per label) and iterates over the EU
 * ones; with {@code ids=1-10,500000-500090} it stores exactly those parcels instead, all in the EU.
 * Options: the queue {@code queue}, the batch size {@code batchSize} (4 by default), {@code
 * orderBy=priority} (parcels are created most urgent first, two of each priority), {@code
 * keyRanges=sequential} ({@link KeyRangeStrategy.SequentialIntegers}), the callback failing {@code
 * failTimes} times on parcel {@code failRow}, each row taking {@code rowMillis}, each shard task
 * having {@code budgetMillis}, finalize failing {@code finalizeFailTimes} times. With {@code
 * gated=true}, each shard's rows wait until {@code POST /api/iterations/gates?label=L&shard=I}
 * opens that shard's gate; with {@code finalizeGated=true}, finalize waits until {@code POST
 * /api/iterations/gates?label=L&finalize=true}; with {@code together=true}, every row waits until
 * all have reached the callback, so that shards of one row each finish at the same moment; with
 * {@code failFinalizeEnqueue=true}, the first enqueue of the finalize task fails ({@link
 * FinalizeEnqueueFault}). {@code POST /api/iterations/depots?label=L&shards=S} iterates over
 * depots, rows with a {@code String} id. {@code GET /api/iterations/{id}?label=L} reports the
 * progress, the finalize count (in this server's memory, and in the shared database), the rows'
 * counters and the order the callbacks saw the rows in. {@code POST
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
      @QueryParam("ids") String ids,
      @QueryParam("shards") int shards,
      @QueryParam("gated") boolean gated,
      @QueryParam("together") boolean together,
      @QueryParam("queue") @DefaultValue("default") String queue,
      @QueryParam("batchSize") @DefaultValue("4") int batchSize,
      @QueryParam("orderBy") String orderBy,
      @QueryParam("keyRanges") String keyRanges,
      @QueryParam("failRow") @DefaultValue("-1") long failRow,
      @QueryParam("failTimes") int failTimes,
      @QueryParam("finalizeFailTimes") int finalizeFailTimes,
      @QueryParam("finalizeGated") boolean finalizeGated,
      @QueryParam("failFinalizeEnqueue") boolean failFinalizeEnqueue,
      @QueryParam("budgetMillis") long budgetMillis,
      @QueryParam("rowMillis") long rowMillis) {
    if (rowMillis > 0) {
      ParcelSorter.ROW_MILLIS.put(label, rowMillis);
    }
    if (gated) {
      ParcelSorter.close(label, shards);
    }
    if (finalizeGated) {
      ParcelSorter.closeFinalize(label);
    }
    if (finalizeFailTimes > 0) {
      ParcelSorter.FINALIZE_FAILURES.put(label, new AtomicInteger(finalizeFailTimes));
    }
    long base = offset(label);
    if (failRow >= 0) {
      ParcelSorter.FAILURES.put(base + failRow, new AtomicInteger(failTimes));
    }
    // Parcels 0 to rows - 1, even ones in the EU; or exactly the given ones, all in the EU.
    long[] offsets = ids == null ? LongStream.range(0, rows).toArray() : parseIds(ids);
    int matching = 0;
    for (int i = 0; i < offsets.length; i++) {
      boolean eu = ids != null || offsets[i] % 2 == 0;
      // Most urgent first in creation order, two EU parcels of each priority (ties).
      int priority = (offsets.length - i) / 4;
      em.persist(new Parcel(base + offsets[i], eu ? "EU" : "US", priority));
      matching += eu ? 1 : 0;
    }
    em.flush();
    if (together) {
      ParcelSorter.TOGETHER.put(label, new CountDownLatch(matching));
    }
    IterationOptions options =
        IterationOptions.shards(shards).queue(queue).deleteMarker(false).batchSize(batchSize);
    if (budgetMillis > 0) {
      options = options.timeBudget(Duration.ofMillis(budgetMillis));
    }
    if ("sequential".equals(keyRanges)) {
      options = options.keyRanges(KeyRangeStrategy.SequentialIntegers.class);
    }
    IterationQuery<Parcel> query =
        IterationQuery.of(Parcel.class)
            .where("e.region = :region and e.id >= :from and e.id < :to")
            .parameter("region", "EU")
            .parameter("from", base)
            .parameter("to", base + LongStream.of(offsets).max().orElse(-1) + 1);
    // Inside this transaction: the iteration starts only once the parcels are committed.
    Iteration it =
        iterations.iterate(
            orderBy == null ? query : query.orderBy(orderBy),
            ParcelSorter.class,
            (sorter, parcel) -> sorter.sort(parcel, label),
            sorter -> sorter.finished(label),
            options);
    if (failFinalizeEnqueue) {
      FinalizeEnqueueFault.failFirstFinalize(it.id());
    }
    return Json.createObjectBuilder().add("id", it.id()).build();
  }

  /** Ids like {@code 1-10,500000-500090,7}: ranges (both ends included) and single ids. */
  private static long[] parseIds(String ids) {
    return Arrays.stream(ids.split(","))
        .flatMapToLong(
            part -> {
              int dash = part.indexOf('-');
              return dash < 0
                  ? LongStream.of(Long.parseLong(part))
                  : LongStream.rangeClosed(
                      Long.parseLong(part.substring(0, dash)),
                      Long.parseLong(part.substring(dash + 1)));
            })
        .toArray();
  }

  /**
   * Stores a depot per city, with codes {@code L-city}, and iterates over them: rows with a {@code
   * String} id, processed in the codes' order within each shard.
   */
  @POST
  @Path("depots")
  @Produces(MediaType.APPLICATION_JSON)
  @Transactional
  public JsonObject startDepots(
      @QueryParam("label") String label, @QueryParam("shards") int shards) {
    for (String city : CITIES) {
      em.persist(new Depot(label + "-" + city));
    }
    em.flush();
    Iteration it =
        iterations.iterate(
            IterationQuery.of(Depot.class)
                .where("e.code like :prefix")
                .parameter("prefix", label + "-%"),
            ParcelSorter.class,
            (sorter, depot) -> sorter.inspect(depot, label),
            sorter -> sorter.finished(label),
            IterationOptions.shards(shards).deleteMarker(false).batchSize(2));
    return Json.createObjectBuilder().add("id", it.id()).build();
  }

  /** The depots' cities, deliberately not in alphabetical order. */
  static final List<String> CITIES =
      List.of(
          "rotterdam",
          "antwerp",
          "hamburg",
          "lyon",
          "milan",
          "bilbao",
          "gdansk",
          "porto",
          "cork",
          "zagreb",
          "oslo",
          "turin",
          "dresden",
          "valencia");

  /**
   * Opens the gate of one shard of a gated iteration, or with {@code finalize=true} its finalize's.
   */
  @POST
  @Path("gates")
  public Response open(
      @QueryParam("label") String label,
      @QueryParam("shard") int shard,
      @QueryParam("finalize") boolean finalize) {
    boolean opened = finalize ? ParcelSorter.openFinalize(label) : ParcelSorter.open(label, shard);
    return Response.status(opened ? 204 : 404).build();
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
              .add("priority", parcel.getPriority())
              .add("handled", parcel.getHandled())
              .add("shard", parcel.getShard() == null ? -1 : parcel.getShard())
              .add("handledBy", parcel.getHandledBy() == null ? "" : parcel.getHandledBy()));
    }
    JsonObjectBuilder depots = Json.createObjectBuilder();
    for (Depot depot :
        em.createQuery("SELECT d FROM Depot d WHERE d.code LIKE :prefix", Depot.class)
            .setParameter("prefix", label + "-%")
            .getResultList()) {
      depots.add(
          depot.getCode().substring(label.length() + 1),
          Json.createObjectBuilder()
              .add("inspected", depot.getInspected())
              .add("shard", depot.getShard() == null ? -1 : depot.getShard()));
    }
    // The rows in the order the callbacks saw them, parcels by their number within the label.
    JsonArrayBuilder seen = Json.createArrayBuilder();
    for (ParcelSorter.Seen s : ParcelSorter.SEEN.getOrDefault(label, new ArrayDeque<>())) {
      String row =
          s.id() instanceof Long number
              ? String.valueOf(number - base)
              : ((String) s.id()).substring(label.length() + 1);
      seen.add(Json.createObjectBuilder().add("shard", s.shard()).add("row", row));
    }
    AtomicInteger finished = ParcelSorter.FINISHED.get(label);
    AtomicInteger finalizeCalls = ParcelSorter.FINALIZE_CALLS.get(label);
    AtomicInteger missed = ParcelSorter.TOGETHER_MISSED.get(label);
    JsonObjectBuilder body =
        Json.createObjectBuilder()
            .add("finalized", finished == null ? 0 : finished.get())
            .add("finalizedRuns", runs.count(label, "finalized"))
            .add("finalizeCalls", finalizeCalls == null ? 0 : finalizeCalls.get())
            .add("finalizeEnqueueFailures", FinalizeEnqueueFault.failures(id))
            .add("rendezvousMissed", missed == null ? 0 : missed.get())
            .add("rows", rows)
            .add("depots", depots)
            .add("seen", seen);
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
