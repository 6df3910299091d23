package dev.deferred.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.tasks.v2.CloudTasksGrpc;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A gRPC request whose bytes are not the method's protobuf message is the caller's error. */
class MalformedMessageTest {

  private static final MethodDescriptor.Marshaller<byte[]> BYTES =
      new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
          return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
          try {
            return stream.readAllBytes();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
      };

  @Test
  void bytesThatAreNotTheRequestMessageAreInvalidArgumentNotUnknown() throws Exception {
    try (CloudTasksEmulator emu = CloudTasksEmulator.builder().start()) {
      ManagedChannel channel =
          ManagedChannelBuilder.forTarget(emu.grpcTarget()).usePlaintext().build();
      try {
        MethodDescriptor<byte[], byte[]> createQueue =
            CloudTasksGrpc.getCreateQueueMethod().toBuilder(BYTES, BYTES).build();
        // Field 1 (parent), length-delimited, announcing 127 bytes that never come.
        byte[] truncated = {0x0a, 0x7f, 'p'};

        StatusRuntimeException e =
            catchThrowableOfType(
                StatusRuntimeException.class,
                () ->
                    ClientCalls.blockingUnaryCall(
                        channel,
                        createQueue,
                        CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                        truncated));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription())
            .isEqualTo(
                "EMULATOR-0006: The request is not a valid"
                    + " google.cloud.tasks.v2.CloudTasks.CreateQueue request message (While"
                    + " parsing a protocol message, the input ended unexpectedly in the middle of"
                    + " a field.  This could mean either that the input has been truncated or that"
                    + " an embedded message misreported its own length.): send the protobuf"
                    + " message of the method, as the generated clients do.");
        // The emulator still serves the next call.
        assertThat(
                CloudTasksGrpc.newBlockingStub(channel)
                    .listQueues(
                        com.google.cloud.tasks.v2.ListQueuesRequest.newBuilder()
                            .setParent("projects/p/locations/l")
                            .build())
                    .getQueuesCount())
            .isZero();
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
