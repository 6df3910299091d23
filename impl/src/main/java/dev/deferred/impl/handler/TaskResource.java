package dev.deferred.impl.handler;

import dev.deferred.impl.Library;
import dev.deferred.impl.config.DeferredConfig;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.InputStream;

/**
 * The JAX-RS face of {@link TaskHandler}. Served by {@link DeferredApplication} at {@code
 * /_ah/queue/deferred}; an application whose own {@code Application} lists no classes picks it up a
 * second time under its own path, where it answers 404, so that the handler is exposed once.
 */
@Path(DeferredApplication.RESOURCE_PATH)
public class TaskResource {

  @POST
  public Response handle(@Context UriInfo uri, @Context HttpHeaders headers, InputStream body) {
    DeferredConfig config = CDI.current().select(DeferredConfig.class, Library.LITERAL).get();
    if (!uri.getAbsolutePath().getPath().endsWith(config.handlerPath())) {
      return Response.status(Response.Status.NOT_FOUND).build();
    }
    // The stream, not a byte[]: JAX-RS would read the whole body before any check. The handler
    // reads it only after authenticating the request, and only up to its bound.
    TaskHandler.Response r =
        CDI.current()
            .select(TaskHandler.class, Library.LITERAL)
            .get()
            .handle(headers::getHeaderString, body == null ? InputStream.nullInputStream() : body);
    return Response.status(r.status()).type(MediaType.TEXT_PLAIN_TYPE).entity(r.body()).build();
  }
}
