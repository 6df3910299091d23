package dev.deferred.sample;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;

/** Plain CRUD on notes: proves CDI, JAX-RS, JPA and JTA on the datasource before any defer. */
@RequestScoped
@Path("/notes")
@Produces(MediaType.APPLICATION_JSON)
public class NoteResource {

  @Inject NoteRepository notes;

  @POST
  @Consumes(MediaType.TEXT_PLAIN)
  public Response create(String text) {
    Note note = notes.create(text);
    return Response.created(URI.create("notes/" + note.getId())).entity(NoteView.of(note)).build();
  }

  @GET
  @Path("/{id}")
  public NoteView get(@PathParam("id") long id) {
    return notes.find(id).orElseThrow(() -> new NotFoundException("No note with id " + id));
  }
}
