package dev.deferred.sample;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** What the deferred tasks did, and the raw deliveries the task handler received. */
@RequestScoped
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
public class JournalResource {

  @Inject TaskJournal journal;
  @Inject DeliveryWiretap.Deliveries deliveries;

  /**
   * The journal entries with {@code key}, oldest first; without it the latest 100, newest first.
   */
  @GET
  @Path("journal")
  public List<TaskJournal.Entry> journal(@QueryParam("key") String key) {
    return key == null ? journal.latest(100) : journal.forKey(key);
  }

  /** The requests Cloud Tasks delivered for one task (test instrumentation, see the wiretap). */
  @GET
  @Path("deliveries/{taskName}")
  public List<DeliveryWiretap.Deliveries.Delivery> deliveries(@PathParam("taskName") String name) {
    if (!deliveries.enabled()) {
      throw new NotFoundException("The delivery recorder is off (sample.wiretap.enabled=false)");
    }
    return deliveries.forTask(name);
  }
}
