package dev.deferred.impl.config;

import dev.deferred.DeferOptions;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.Config;

/**
 * The library's configuration, read once from MicroProfile Config and the environment, with every
 * problem collected rather than thrown, so that startup reports them all at once.
 */
public final class DeferredConfig {

  /** Smallest accepted signing key: HMAC-SHA256 gains nothing from more, loses from less. */
  static final int MIN_KEY_BYTES = 32;

  private static final Pattern QUEUE_ID = Pattern.compile("[A-Za-z0-9-]{1,100}");
  private static final String DEFAULT_LOCAL_PROJECT = "deferred-local";
  private static final String DEFAULT_LOCAL_LOCATION = "us-central1";

  private final Mode mode;
  private final String modeSource;
  private final String project;
  private final String location;
  private final Optional<String> emulatorHost;
  private final Optional<URI> emulatorJwksUrl;
  private final int emulatorHttpPort;
  private final String handlerPath;
  private final Optional<URI> handlerUrl;
  private final String oidcServiceAccount;
  private final Optional<String> oidcAudience;
  private final boolean taskOnlyAcceptCron;
  private final List<byte[]> signingKeys;
  private final Duration signingLifetime;
  private final Optional<String> routingService;
  private final Optional<String> routingVersion;
  private final Optional<String> routingInstance;
  private final int smallTaskMaxBytes;
  private final boolean createQueues;
  private final long storeMaxBytes;
  private final Map<String, QueueConfig> queues;
  private final List<String> problems;

  private DeferredConfig(Reader r) {
    this.mode = r.mode;
    this.modeSource = r.modeSource;
    this.project = r.project;
    this.location = r.location;
    this.emulatorHost = r.emulatorHost;
    this.emulatorJwksUrl = r.emulatorJwksUrl;
    this.emulatorHttpPort = r.emulatorHttpPort;
    this.handlerPath = r.handlerPath;
    this.handlerUrl = r.handlerUrl;
    this.oidcServiceAccount = r.oidcServiceAccount;
    this.oidcAudience = r.oidcAudience;
    this.taskOnlyAcceptCron = r.taskOnlyAcceptCron;
    this.signingKeys = List.copyOf(r.signingKeys);
    this.signingLifetime = r.signingLifetime;
    this.routingService = r.routingService;
    this.routingVersion = r.routingVersion;
    this.routingInstance = r.routingInstance;
    this.smallTaskMaxBytes = r.smallTaskMaxBytes;
    this.createQueues = r.createQueues;
    this.storeMaxBytes = r.storeMaxBytes;
    this.queues = Collections.unmodifiableMap(new TreeMap<>(r.queues));
    this.problems = List.copyOf(r.problems);
  }

  /**
   * Reads the configuration.
   *
   * @param config MicroProfile Config
   * @param env the process environment ({@code System::getenv} outside tests)
   */
  public static DeferredConfig read(Config config, Function<String, String> env) {
    return new DeferredConfig(new Reader(config, env).read());
  }

  public Mode mode() {
    return mode;
  }

  /**
   * What chose the mode: {@code deferred.mode}, {@code deferred.emulator.host}, the environment
   * variable of a detected platform (e.g. {@code Cloud Run (K_SERVICE)}), or {@code default} when
   * nothing did and the mode fell back to embedded.
   */
  public String modeSource() {
    return modeSource;
  }

  public String project() {
    return project;
  }

  public String location() {
    return location;
  }

  public Optional<String> emulatorHost() {
    return emulatorHost;
  }

  /** The handler path under the context root, e.g. {@code /_ah/queue/deferred}. */
  /** The external emulator's JWKS URL, for verifying the tokens it signs. */
  public Optional<URI> emulatorJwksUrl() {
    return emulatorJwksUrl;
  }

  /**
   * The HTTP port (REST API, JWKS) of the embedded emulator, 0 for a free port: a known port lets
   * integration tests and tools reach the queues of a running application.
   */
  public int emulatorHttpPort() {
    return emulatorHttpPort;
  }

  public String handlerPath() {
    return handlerPath;
  }

  public Optional<URI> handlerUrl() {
    return handlerUrl;
  }

  public String oidcServiceAccount() {
    return oidcServiceAccount;
  }

  public Optional<String> oidcAudience() {
    return oidcAudience;
  }

  /** Whether {@code @TaskOnly} endpoints accept App Engine cron requests (on App Engine). */
  public boolean taskOnlyAcceptCron() {
    return taskOnlyAcceptCron;
  }

  /** The signing keys, first one signs; empty in embedded mode unless configured. */
  public List<byte[]> signingKeys() {
    return signingKeys;
  }

  /** How long after its schedule time a signed task body may run. */
  public Duration signingLifetime() {
    return signingLifetime;
  }

  public Optional<String> routingService() {
    return routingService;
  }

  public Optional<String> routingVersion() {
    return routingVersion;
  }

  public Optional<String> routingInstance() {
    return routingInstance;
  }

  public int smallTaskMaxBytes() {
    return smallTaskMaxBytes;
  }

  public boolean createQueues() {
    return createQueues;
  }

  public long storeMaxBytes() {
    return storeMaxBytes;
  }

  /** The configured queues by id, plus {@code default}, which always exists. */
  public Map<String, QueueConfig> queues() {
    return queues;
  }

  /** Every problem found, each a complete message with its id; empty when the config is valid. */
  public List<String> problems() {
    return problems;
  }

  /** Collects values and problems; a key with a bad value is reported and given its default. */
  private static final class Reader {
    private final Config config;
    private final Function<String, String> env;
    private final List<String> problems = new ArrayList<>();

    Mode mode;
    String modeSource;
    String project;
    String location;
    Optional<String> emulatorHost;
    Optional<URI> emulatorJwksUrl;
    int emulatorHttpPort;
    String handlerPath;
    Optional<URI> handlerUrl;
    String oidcServiceAccount;
    Optional<String> oidcAudience;
    boolean taskOnlyAcceptCron;
    List<byte[]> signingKeys = new ArrayList<>();
    Duration signingLifetime;
    Optional<String> routingService;
    Optional<String> routingVersion;
    Optional<String> routingInstance;
    int smallTaskMaxBytes;
    boolean createQueues;
    long storeMaxBytes;
    Map<String, QueueConfig> queues = new TreeMap<>();

    Reader(Config config, Function<String, String> env) {
      this.config = config;
      this.env = env;
    }

    Reader read() {
      checkUnknownKeys();
      emulatorHost =
          string(ConfigKey.EMULATOR_HOST).or(() -> envValue("CLOUD_TASKS_EMULATOR_HOST"));
      mode = readMode();
      project =
          string(ConfigKey.PROJECT)
              .or(() -> envValue("GOOGLE_CLOUD_PROJECT"))
              .or(() -> envValue("GCLOUD_PROJECT"))
              .orElse(null);
      if (project == null) {
        if (mode == Mode.CLOUD) {
          problems.add(Messages.missingProject());
        }
        project = DEFAULT_LOCAL_PROJECT;
      }
      location = string(ConfigKey.LOCATION).orElse(null);
      if (location == null) {
        if (mode == Mode.CLOUD) {
          problems.add(Messages.missingLocation());
        }
        location = DEFAULT_LOCAL_LOCATION;
      }
      if (mode == Mode.EMULATOR && emulatorHost.isEmpty()) {
        problems.add(Messages.missingEmulatorHost());
      }
      emulatorJwksUrl =
          string(ConfigKey.EMULATOR_JWKS_URL)
              .flatMap(u -> absoluteUrl(ConfigKey.EMULATOR_JWKS_URL, u));
      if (mode == Mode.EMULATOR && string(ConfigKey.EMULATOR_JWKS_URL).isEmpty()) {
        problems.add(Messages.missingEmulatorJwksUrl());
      }
      emulatorHttpPort = (int) number(ConfigKey.EMULATOR_HTTP_PORT.key(), 0, 0, 65535);
      handlerPath = string(ConfigKey.HANDLER_PATH).orElse("/_ah/queue/deferred");
      if (!handlerPath.startsWith("/") || handlerPath.endsWith("/")) {
        problems.add(
            Messages.invalidValue(
                ConfigKey.HANDLER_PATH.key(),
                handlerPath,
                "a path that starts with '/' and does not end with '/', e.g. /_ah/queue/deferred"));
        handlerPath = "/_ah/queue/deferred";
      }
      handlerUrl =
          string(ConfigKey.HANDLER_URL).flatMap(u -> absoluteUrl(ConfigKey.HANDLER_URL, u));
      if (mode == Mode.CLOUD && handlerUrl.isPresent()) {
        if ("http".equals(handlerUrl.get().getScheme())) {
          problems.add(Messages.plainHttpHandlerUrl(ConfigKey.HANDLER_URL.key(), handlerUrl.get()));
        }
      }
      oidcServiceAccount =
          string(ConfigKey.OIDC_SERVICE_ACCOUNT)
              .orElse("deferred@" + project + ".iam.gserviceaccount.com");
      oidcAudience = string(ConfigKey.OIDC_AUDIENCE);
      taskOnlyAcceptCron = bool(ConfigKey.TASK_ONLY_ACCEPT_CRON.key(), true);
      if (mode == Mode.CLOUD
          && handlerUrl.isPresent()
          && string(ConfigKey.OIDC_SERVICE_ACCOUNT).isEmpty()) {
        problems.add(Messages.missingServiceAccount());
      }
      readSigningKeys();
      signingLifetime = readSigningLifetime();
      routingService = string(ConfigKey.ROUTING_SERVICE).or(() -> envValue("GAE_SERVICE"));
      routingVersion = string(ConfigKey.ROUTING_VERSION).or(() -> envValue("GAE_VERSION"));
      routingInstance = string(ConfigKey.ROUTING_INSTANCE);
      smallTaskMaxBytes =
          (int) number(ConfigKey.SMALL_TASK_MAX_BYTES.key(), 90_000, 1_000, 1_000_000);
      createQueues = bool(ConfigKey.CREATE_QUEUES.key(), true);
      storeMaxBytes = number(ConfigKey.STORE_MAX_BYTES.key(), 64L * 1024 * 1024, 1, Long.MAX_VALUE);
      readQueues();
      return this;
    }

    /**
     * Platforms whose documented environment variables mean real Cloud Tasks, in the order they are
     * checked. App Engine flexible sets GAE_INSTANCE but not GAE_APPLICATION; Kubernetes (GKE
     * included) sets KUBERNETES_SERVICE_HOST in every container.
     */
    private static final List<String[]> PLATFORMS =
        List.of(
            new String[] {"GAE_APPLICATION", "App Engine standard"},
            new String[] {"GAE_INSTANCE", "App Engine flexible"},
            new String[] {"K_SERVICE", "Cloud Run"},
            new String[] {"KUBERNETES_SERVICE_HOST", "GKE / Kubernetes"});

    private Mode readMode() {
      Optional<String> explicit = string(ConfigKey.MODE);
      if (explicit.isPresent()) {
        for (Mode m : Mode.values()) {
          if (m.configValue().equals(explicit.get().trim().toLowerCase(Locale.ROOT))) {
            modeSource = ConfigKey.MODE.key();
            return m;
          }
        }
        problems.add(
            Messages.invalidValue(
                ConfigKey.MODE.key(), explicit.get(), "one of embedded, emulator, cloud"));
      }
      if (emulatorHost.isPresent()) {
        modeSource =
            string(ConfigKey.EMULATOR_HOST).isPresent()
                ? ConfigKey.EMULATOR_HOST.key()
                : "CLOUD_TASKS_EMULATOR_HOST";
        return Mode.EMULATOR;
      }
      for (String[] platform : PLATFORMS) {
        if (envValue(platform[0]).isPresent()) {
          modeSource = platform[1] + " (" + platform[0] + ")";
          return Mode.CLOUD;
        }
      }
      modeSource = "default";
      return Mode.EMBEDDED;
    }

    private void readSigningKeys() {
      Optional<String> raw = string(ConfigKey.SIGNING_KEYS);
      if (raw.isPresent()) {
        int index = 0;
        for (String part : raw.get().split(",")) {
          String key = part.trim();
          if (key.isEmpty()) {
            continue;
          }
          try {
            byte[] bytes = Base64.getDecoder().decode(key);
            if (bytes.length < MIN_KEY_BYTES) {
              problems.add(Messages.signingKeyTooShort(index, bytes.length, MIN_KEY_BYTES));
            } else {
              signingKeys.add(bytes);
            }
          } catch (IllegalArgumentException e) {
            problems.add(Messages.signingKeyNotBase64(index));
          }
          index++;
        }
        if (index == 0) {
          // Only separators: without this, every instance would sign with its own random key.
          problems.add(Messages.noSigningKeyGiven(raw.get()));
        }
      }
      if (signingKeys.isEmpty() && mode != Mode.EMBEDDED && raw.isEmpty()) {
        problems.add(Messages.missingSigningKeys(mode));
      }
    }

    private Duration readSigningLifetime() {
      String key = ConfigKey.SIGNING_LIFETIME.key();
      Duration lifetime = duration(key).orElse(dev.deferred.impl.codec.Envelope.DEFAULT_LIFETIME);
      if (lifetime.compareTo(dev.deferred.impl.codec.Envelope.MIN_LIFETIME) < 0) {
        problems.add(
            Messages.invalidValue(
                key,
                config.getValue(key, String.class),
                "a duration of at least 1h; the default, 32d, outlasts Cloud Tasks' 31-day task"
                    + " retention"));
        return dev.deferred.impl.codec.Envelope.DEFAULT_LIFETIME;
      }
      return lifetime;
    }

    private void readQueues() {
      List<String> names = new ArrayList<>();
      for (String key : config.getPropertyNames()) {
        if (!key.startsWith(ConfigKey.QueueKey.PREFIX)) {
          continue;
        }
        String rest = key.substring(ConfigKey.QueueKey.PREFIX.length());
        int dot = rest.lastIndexOf('.');
        if (dot <= 0) {
          continue;
        }
        String queue = rest.substring(0, dot);
        if (ConfigKey.QueueKey.ofSuffix(rest.substring(dot + 1)).isPresent()
            && !names.contains(queue)) {
          names.add(queue);
        }
      }
      for (String name : names) {
        if (!QUEUE_ID.matcher(name).matches()) {
          problems.add(Messages.invalidQueueId(name));
          continue;
        }
        queues.put(name, readQueue(name));
      }
      queues.putIfAbsent(
          DeferOptions.DEFAULT_QUEUE, QueueConfig.defaults(DeferOptions.DEFAULT_QUEUE));
    }

    private QueueConfig readQueue(String name) {
      OptionalDouble rate = OptionalDouble.empty();
      String rateKey = ConfigKey.QueueKey.RATE_PER_SECOND.keyFor(name);
      Optional<String> rateText = config.getOptionalValue(rateKey, String.class);
      if (rateText.isPresent()) {
        try {
          double r = Double.parseDouble(rateText.get().trim());
          if (r <= 0 || r > 500) {
            problems.add(
                Messages.invalidValue(
                    rateKey,
                    rateText.get(),
                    "a number above 0 and at most 500 (Cloud Tasks' limit)"));
          } else {
            rate = OptionalDouble.of(r);
          }
        } catch (NumberFormatException e) {
          problems.add(Messages.invalidValue(rateKey, rateText.get(), "a number such as 5 or 0.5"));
        }
      }
      return new QueueConfig(
          name,
          rate,
          optionalInt(ConfigKey.QueueKey.RATE_MAX_CONCURRENT.keyFor(name), 1, 5000),
          optionalInt(ConfigKey.QueueKey.RETRY_MAX_ATTEMPTS.keyFor(name), -1, 1000),
          duration(ConfigKey.QueueKey.RETRY_MIN_BACKOFF.keyFor(name)),
          duration(ConfigKey.QueueKey.RETRY_MAX_BACKOFF.keyFor(name)),
          optionalInt(ConfigKey.QueueKey.RETRY_MAX_DOUBLINGS.keyFor(name), 0, 100),
          duration(ConfigKey.QueueKey.RETRY_MAX_DURATION.keyFor(name)));
    }

    private void checkUnknownKeys() {
      for (String key : config.getPropertyNames()) {
        if (!key.startsWith("deferred.") || ConfigKey.of(key).isPresent()) {
          continue;
        }
        if (key.startsWith(ConfigKey.QueueKey.PREFIX)) {
          String rest = key.substring(ConfigKey.QueueKey.PREFIX.length());
          int dot = rest.lastIndexOf('.');
          if (dot > 0 && ConfigKey.QueueKey.ofSuffix(rest.substring(dot + 1)).isPresent()) {
            continue;
          }
          String queue = dot > 0 ? rest.substring(0, dot) : rest;
          List<String> candidates = new ArrayList<>();
          for (ConfigKey.QueueKey q : ConfigKey.QueueKey.values()) {
            candidates.add(q.keyFor(queue));
          }
          problems.add(Messages.unknownKey(key, Suggestions.nearest(key, candidates)));
          continue;
        }
        problems.add(Messages.unknownKey(key, Suggestions.nearest(key, ConfigKey.keys())));
      }
    }

    private Optional<URI> absoluteUrl(ConfigKey key, String text) {
      try {
        URI uri = URI.create(text.trim());
        if (uri.isAbsolute()
            && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
          return Optional.of(uri);
        }
      } catch (IllegalArgumentException e) {
        // reported below
      }
      problems.add(
          Messages.invalidValue(
              key.key(), text, "an absolute http(s) URL, e.g. https://app.example.com/path"));
      return Optional.empty();
    }

    private Optional<String> string(ConfigKey key) {
      return config
          .getOptionalValue(key.key(), String.class)
          .map(String::trim)
          .filter(s -> !s.isEmpty());
    }

    private Optional<String> envValue(String name) {
      return Optional.ofNullable(env.apply(name)).map(String::trim).filter(s -> !s.isEmpty());
    }

    private long number(String key, long defaultValue, long min, long max) {
      Optional<String> text = config.getOptionalValue(key, String.class);
      if (text.isEmpty()) {
        return defaultValue;
      }
      try {
        long n = Long.parseLong(text.get().trim());
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      problems.add(Messages.invalidValue(key, text.get(), "an integer from " + min + " to " + max));
      return defaultValue;
    }

    private OptionalInt optionalInt(String key, int min, int max) {
      Optional<String> text = config.getOptionalValue(key, String.class);
      if (text.isEmpty()) {
        return OptionalInt.empty();
      }
      try {
        int n = Integer.parseInt(text.get().trim());
        if (n >= min && n <= max) {
          return OptionalInt.of(n);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      problems.add(Messages.invalidValue(key, text.get(), "an integer from " + min + " to " + max));
      return OptionalInt.empty();
    }

    private Optional<Duration> duration(String key) {
      Optional<String> text = config.getOptionalValue(key, String.class);
      if (text.isEmpty()) {
        return Optional.empty();
      }
      try {
        Duration d = Durations.parse(text.get());
        if (!d.isNegative()) {
          return Optional.of(d);
        }
      } catch (IllegalArgumentException e) {
        // reported below
      }
      problems.add(
          Messages.invalidValue(key, text.get(), "a duration such as 10s, 500ms, 5m or PT10S"));
      return Optional.empty();
    }

    private boolean bool(String key, boolean defaultValue) {
      Optional<String> text = config.getOptionalValue(key, String.class);
      if (text.isEmpty()) {
        return defaultValue;
      }
      String t = text.get().trim().toLowerCase(Locale.ROOT);
      if (t.equals("true") || t.equals("false")) {
        return Boolean.parseBoolean(t);
      }
      problems.add(Messages.invalidValue(key, text.get(), "true or false"));
      return defaultValue;
    }
  }
}
