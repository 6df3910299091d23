package dev.deferred.emulator.internal;

import java.util.regex.Pattern;

/** Parses and validates resource names; every failure is an INVALID_ARGUMENT naming the value. */
final class Names {
  private Names() {}

  private static final Pattern PROJECT = Pattern.compile("[A-Za-z0-9\\-:.]+");
  private static final Pattern LOCATION = Pattern.compile("[A-Za-z0-9\\-]+");
  private static final Pattern QUEUE_ID = Pattern.compile("[A-Za-z0-9\\-]{1,100}");
  private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9_\\-]{1,500}");

  /** A parsed {@code projects/P/locations/L}. */
  record Parent(String project, String location) {
    String name() {
      return "projects/" + project + "/locations/" + location;
    }
  }

  /** A parsed queue name. */
  record QueueName(String project, String location, String id) {
    String name() {
      return "projects/" + project + "/locations/" + location + "/queues/" + id;
    }

    Parent parent() {
      return new Parent(project, location);
    }
  }

  /** A parsed task name. */
  record TaskName(QueueName queue, String id) {
    String name() {
      return queue.name() + "/tasks/" + id;
    }
  }

  static Parent parent(String value) {
    String[] p = value.split("/", -1);
    if (p.length != 4 || !p[0].equals("projects") || !p[2].equals("locations")) {
      throw Errors.invalid(
          "Invalid parent \""
              + value
              + "\": expected projects/PROJECT_ID/locations/LOCATION_ID, for example"
              + " projects/my-project/locations/us-central1.");
    }
    checkProjectAndLocation(p[1], p[3], value);
    return new Parent(p[1], p[3]);
  }

  static QueueName queue(String value) {
    String[] p = value.split("/", -1);
    if (p.length != 6
        || !p[0].equals("projects")
        || !p[2].equals("locations")
        || !p[4].equals("queues")) {
      throw Errors.invalid(
          "Invalid queue name \""
              + value
              + "\": expected projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID.");
    }
    checkProjectAndLocation(p[1], p[3], value);
    if (!QUEUE_ID.matcher(p[5]).matches()) {
      throw Errors.invalid(Errors.queueId(p[5]));
    }
    return new QueueName(p[1], p[3], p[5]);
  }

  static TaskName task(String value) {
    String[] p = value.split("/", -1);
    if (p.length != 8 || !p[6].equals("tasks")) {
      throw Errors.invalid(
          "Invalid task name \""
              + value
              + "\": expected"
              + " projects/PROJECT_ID/locations/LOCATION_ID/queues/QUEUE_ID/tasks/TASK_ID.");
    }
    QueueName queue = queue(String.join("/", p[0], p[1], p[2], p[3], p[4], p[5]));
    if (!TASK_ID.matcher(p[7]).matches()) {
      throw Errors.invalid(Errors.taskId(p[7]));
    }
    return new TaskName(queue, p[7]);
  }

  private static void checkProjectAndLocation(String project, String location, String value) {
    if (!PROJECT.matcher(project).matches()) {
      throw Errors.invalid(
          "Invalid project ID \""
              + project
              + "\" in \""
              + value
              + "\": a project ID can contain only letters, numbers, hyphens (-), colons (:)"
              + " and periods (.).");
    }
    if (!LOCATION.matcher(location).matches()) {
      throw Errors.invalid(
          "Invalid location ID \""
              + location
              + "\" in \""
              + value
              + "\": a location ID can contain only letters, numbers and hyphens (-), for example"
              + " us-central1.");
    }
  }

  static String shortId(String fullName) {
    return fullName.substring(fullName.lastIndexOf('/') + 1);
  }
}
