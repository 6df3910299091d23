package dev.deferred.testing.internal;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The configuration the running Deferred test adds: where the emulator and the task server are, and
 * the test's own entries. Empty outside a test. Registered as a service, with the highest ordinal,
 * so that nothing on the machine (environment variables, system properties) can change what a test
 * runs against.
 */
public class TestConfigSource implements ConfigSource {
  static final Map<String, String> VALUES = new ConcurrentHashMap<>();

  /** Its ordinal: above system properties (400) and environment variables (300). */
  public static final int ORDINAL = 1000;

  /**
   * Sets one entry, for a test that boots its container itself (the library's own tests) or learns
   * a value only once it runs (a port).
   *
   * @param key the configuration key
   * @param value its value
   */
  public static void put(String key, String value) {
    VALUES.put(key, value);
  }

  /** Removes every entry: the configuration of no test. */
  public static void clear() {
    VALUES.clear();
  }

  @Override
  public Set<String> getPropertyNames() {
    return Set.copyOf(VALUES.keySet());
  }

  @Override
  public String getValue(String propertyName) {
    return VALUES.get(propertyName);
  }

  @Override
  public String getName() {
    return "deferred-test";
  }

  @Override
  public int getOrdinal() {
    return ORDINAL;
  }
}
