package dev.deferred.impl.handler;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** A bean with methods of every visibility, each recording that it ran. */
@ApplicationScoped
public class MethodKinds {
  static final Queue<String> RAN = new ConcurrentLinkedQueue<>();

  public void visible(String s) {
    RAN.add("public " + s);
  }

  void packagePrivate(String s) {
    RAN.add("package " + s);
  }

  @SuppressWarnings("unused")
  private void hidden(String s) {
    RAN.add("private " + s);
  }

  public static void shared(String s) {
    RAN.add("static " + s);
  }
}
