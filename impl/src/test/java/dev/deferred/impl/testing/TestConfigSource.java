package dev.deferred.impl.testing;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * The configuration of the running test class, set by {@link DeferredTestExtension} before the
 * container starts. Highest ordinal, so nothing on the machine can change a test's configuration.
 */
public class TestConfigSource implements ConfigSource {
  static final Map<String, String> VALUES = new ConcurrentHashMap<>();

  /**
   * Adds an entry known only once the test class runs (a port), from a {@code @BeforeAll} method:
   * after {@link DeferredTestExtension} set the class's configuration, before the container starts.
   */
  public static void put(String key, String value) {
    VALUES.put(key, value);
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
    return 1000;
  }
}
