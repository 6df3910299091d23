package dev.deferred.sample;

import dev.deferred.DeferredTask;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo: {@code curl -X POST -H 'Content-Type: text/plain' -d 'Hello' .../sample/api/demo}
 * publishes a note and defers three tasks; {@code GET .../sample/api/journal} shows them running.
 */
@RequestScoped
@Path("/demo")
public class DemoResource {

  @Inject Publisher publisher;

  @POST
  @Consumes(MediaType.TEXT_PLAIN)
  @Produces(MediaType.APPLICATION_JSON)
  public Map<String, Object> publish(String text) {
    Publisher.Published published = publisher.publish(text.isBlank() ? "Hello, Deferred" : text);
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("note", published.note());
    result.put("key", published.key());
    // Read after commit: the transactional tasks are in Cloud Tasks now and have names.
    List<Map<String, String>> tasks =
        published.tasks().stream().map(DemoResource::describe).toList();
    result.put("tasks", tasks);
    result.put("journal", "/sample/api/journal?key=" + published.key());
    return result;
  }

  private static Map<String, String> describe(DeferredTask task) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("queue", task.queue());
    d.put("state", task.state().name());
    task.name().ifPresent(n -> d.put("name", n));
    return d;
  }
}
