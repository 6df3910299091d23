package dev.deferred.sample;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Map;

/**
 * Test instrumentation, not part of the demo: the server's heap, so that the integration tests can
 * check that requests the handler refuses cost it no memory. Off with the delivery recorder ({@code
 * sample.wiretap.enabled}).
 */
@Path("/diagnostics/heap")
@Produces(MediaType.APPLICATION_JSON)
public class DiagnosticsResource {

  @Inject DeliveryWiretap.Deliveries deliveries;

  /**
   * The heap held (old generation and large objects, not eden or survivors) now and at its peak
   * since the last reset, in bytes.
   */
  @GET
  public Map<String, Long> heap() {
    enabled();
    long used = 0;
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      // The pools that hold what survives or is too large for the young generation (a 100 MB
      // array goes straight there); eden's peak is allocation churn, not memory held.
      String name = pool.getName();
      if (pool.getType() == MemoryType.HEAP
          && pool.isValid()
          && !name.contains("Eden")
          && !name.contains("Survivor")) {
        used += pool.getUsage().getUsed();
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return Map.of("used", used, "peak", peak);
  }

  /** Collects garbage and starts a new peak from the heap in use now. */
  @POST
  @Path("reset")
  public Map<String, Long> reset() {
    enabled();
    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    return heap();
  }

  private void enabled() {
    if (!deliveries.enabled()) {
      throw new NotFoundException("Diagnostics are off (sample.wiretap.enabled=false)");
    }
  }
}
