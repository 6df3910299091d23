package dev.deferred.impl.defer;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/** Collects the calls a {@code Deferrer.defer} lambda makes on its recording stand-in. */
public final class CallRecorder {

  /** One recorded call. */
  public record Call(Method method, Object[] arguments) {}

  private static final ThreadLocal<List<Call>> CALLS = new ThreadLocal<>();

  private CallRecorder() {}

  static void start() {
    CALLS.set(new ArrayList<>());
  }

  static List<Call> stop() {
    List<Call> calls = CALLS.get();
    CALLS.remove();
    return calls == null ? List.of() : calls;
  }

  /** Records a call; false when no recording is active on this thread. */
  static boolean record(Method method, Object[] arguments) {
    List<Call> calls = CALLS.get();
    if (calls == null) {
      return false;
    }
    calls.add(new Call(method, arguments.clone()));
    return true;
  }
}
