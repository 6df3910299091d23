package dev.deferred.sample;

import dev.deferred.TaskContext;
import dev.deferred.TaskOnly;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

/**
 * An application endpoint that only Cloud Tasks may call ({@link TaskOnly @TaskOnly}, djangae's
 * {@code task_only}): anyone else gets 403 and the method does not run.
 */
@RequestScoped
@Path("/maintenance")
public class MaintenanceResource {

  @Inject TaskJournal journal;
  @Inject TaskContext context;

  @POST
  @Path("/cleanup")
  @TaskOnly
  @Consumes(MediaType.WILDCARD)
  public void cleanup(String body) {
    journal.record("maintenance", "ran", "cleanup requested, " + body.length() + " bytes", context);
  }
}
