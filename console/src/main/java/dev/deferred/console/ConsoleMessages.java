package dev.deferred.console;

/** Every message of the console, with its stable id ({@code DEFERRED-80xx}). */
final class ConsoleMessages {
  private ConsoleMessages() {}

  static String noRole(String path) {
    return "DEFERRED-8001: The Deferred console at "
        + path
        + " refuses every request because deferred.console.role is not set: set it to the role"
        + " whose users may see and re-defer failed tasks, and map that role to users in the"
        + " server's security configuration";
  }

  static String notInRole(String role) {
    return "DEFERRED-8002: The Deferred console needs the role '"
        + role
        + "' (deferred.console.role); the signed-in user does not have it";
  }

  static String foreignOrigin(String origin, String expected) {
    return "DEFERRED-8003: Refused a change from origin '"
        + origin
        + "': the console accepts changes only from its own pages ("
        + expected
        + ")";
  }

  static String badToken() {
    return "DEFERRED-8004: Refused a change without the console's form token (the page was opened"
        + " in another session, or the request did not come from the console): reload the page"
        + " and try again";
  }

  static String invalidPath(String path) {
    return "DEFERRED-8005: Invalid value '"
        + path
        + "' for deferred.console.path: expected a path such as /deferred-console (starting with"
        + " '/', not '/' alone, without '*', '?', '#' or spaces)";
  }

  static String started(String path, String role) {
    return role == null
        ? "DEFERRED-8006: The Deferred console is at "
            + path
            + " and refuses every request until deferred.console.role is set"
        : "DEFERRED-8006: The Deferred console is at " + path + " for users in role '" + role + "'";
  }
}
