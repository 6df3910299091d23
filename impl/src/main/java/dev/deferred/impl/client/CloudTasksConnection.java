package dev.deferred.impl.client;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.tasks.v2.CloudTasksClient;
import com.google.cloud.tasks.v2.CloudTasksSettings;
import dev.deferred.impl.config.DeferredConfig;
import dev.deferred.impl.config.Messages;
import dev.deferred.impl.config.Mode;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The application's one Cloud Tasks client, with the emulator it talks to in embedded mode.
 *
 * <p>Towards an emulator the channel gets its own event loop group and executor, closed in order
 * (client, channel, event loops, executor, emulator): gRPC's shared event loops would otherwise
 * outlive an undeployed application's class loader on an application server.
 */
public final class CloudTasksConnection implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(CloudTasksConnection.class.getName());

  private final CloudTasksClient client;
  private final ManagedChannel channel;
  private final NioEventLoopGroup eventLoops;
  private final ExecutorService executor;
  private final EmulatorLauncher emulator;

  private CloudTasksConnection(
      CloudTasksClient client,
      ManagedChannel channel,
      NioEventLoopGroup eventLoops,
      ExecutorService executor,
      EmulatorLauncher emulator) {
    this.client = client;
    this.channel = channel;
    this.eventLoops = eventLoops;
    this.executor = executor;
    this.emulator = emulator;
  }

  /** Opens the connection for the configured mode, starting the emulator in embedded mode. */
  public static CloudTasksConnection open(DeferredConfig config, ClassLoader loader) {
    try {
      if (config.mode() == Mode.CLOUD) {
        return new CloudTasksConnection(CloudTasksClient.create(), null, null, null, null);
      }
      EmulatorLauncher emulator = null;
      String target;
      if (config.mode() == Mode.EMBEDDED) {
        emulator = EmulatorLauncher.load(loader);
        emulator.start(config);
        LOG.warning(Messages.embeddedModeStarted(config.modeSource()));
        target = emulator.grpcTarget();
      } else {
        target = config.emulatorHost().orElseThrow();
      }
      NioEventLoopGroup eventLoops = new NioEventLoopGroup(1);
      ExecutorService executor =
          Executors.newCachedThreadPool(
              r -> {
                Thread t = new Thread(r, "deferred-cloud-tasks-client");
                t.setDaemon(true);
                return t;
              });
      ManagedChannel channel =
          NettyChannelBuilder.forTarget(target)
              .usePlaintext()
              .eventLoopGroup(eventLoops)
              .channelType(NioSocketChannel.class)
              .executor(executor)
              .build();
      CloudTasksSettings settings =
          CloudTasksSettings.newBuilder()
              .setTransportChannelProvider(
                  FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
              .setCredentialsProvider(NoCredentialsProvider.create())
              .build();
      return new CloudTasksConnection(
          CloudTasksClient.create(settings), channel, eventLoops, executor, emulator);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Could not create the Cloud Tasks client: " + e.getMessage(), e);
    }
  }

  public CloudTasksClient client() {
    return client;
  }

  /** The in-process emulator in embedded mode. */
  public Optional<EmulatorLauncher> emulator() {
    return Optional.ofNullable(emulator);
  }

  @Override
  public void close() {
    try {
      client.close();
      client.awaitTermination(10, TimeUnit.SECONDS);
      if (channel != null) {
        channel.shutdown();
        channel.awaitTermination(10, TimeUnit.SECONDS);
      }
      if (eventLoops != null) {
        eventLoops.shutdownGracefully(0, 5, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
      }
      if (executor != null) {
        executor.shutdown();
        executor.awaitTermination(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Closing the Cloud Tasks client failed", e);
    } finally {
      if (emulator != null) {
        emulator.close();
      }
    }
  }
}
