package dev.deferred.impl.defer;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** Receives large arguments. */
@ApplicationScoped
public class Payloads {
  static final BlockingQueue<Integer> SIZES = new LinkedBlockingQueue<>();

  public void take(String data) {
    SIZES.add(data.length());
  }
}
