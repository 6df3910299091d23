package dev.deferred.impl.handler;

import dev.deferred.TaskOnly;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A task-only endpoint, as an application writes one. */
@ApplicationScoped
@Path("/cron")
public class Cron {
  static final BlockingQueue<String> RAN = new LinkedBlockingQueue<>();

  @POST
  @TaskOnly
  public void clean() {
    RAN.add("clean");
  }
}
