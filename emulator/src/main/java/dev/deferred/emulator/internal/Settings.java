package dev.deferred.emulator.internal;

import com.google.cloud.tasks.v2.Queue;
import dev.deferred.emulator.EmulatorClock;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The emulator's configuration, fixed at start.
 *
 * @param project default project of declared queues
 * @param location default location of declared queues
 * @param clock the emulator's time source
 * @param taskTombstoneTtl how long a deleted or finished task's name stays reserved
 * @param queueTombstoneTtl how long a deleted queue's name stays reserved
 * @param appEngineTarget base URL of App Engine targets without a mapped service
 * @param appEngineServices base URLs by App Engine service name
 * @param declaredQueues queues created at start and after every reset, with full names
 */
public record Settings(
    String project,
    String location,
    EmulatorClock clock,
    Duration taskTombstoneTtl,
    Duration queueTombstoneTtl,
    URI appEngineTarget,
    Map<String, URI> appEngineServices,
    List<Queue> declaredQueues) {}
