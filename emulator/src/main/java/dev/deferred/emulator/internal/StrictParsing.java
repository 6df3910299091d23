package dev.deferred.emulator.internal;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import java.io.InputStream;

/**
 * Answers a request message that does not parse with {@code INVALID_ARGUMENT} and a message naming
 * the expected type. gRPC itself would close such a call with {@code UNKNOWN} "Application error
 * processing RPC", as if the service had crashed: the parse error escapes from the request
 * marshaller, where no service code can catch it. Here the marshaller never throws; it hands a
 * {@link Malformed} marker to a listener that closes the call instead of passing it on.
 */
public final class StrictParsing {
  private StrictParsing() {}

  /** What the marshaller returns for bytes that are not the request type. */
  private record Malformed(String type, String reason) {}

  /**
   * The same service, with every request parsed strictly.
   *
   * @param service a bound service, e.g. {@code new CloudTasksService(...).bindService()}
   * @return a definition serving the same methods
   */
  public static ServerServiceDefinition wrap(ServerServiceDefinition service) {
    ServerServiceDefinition.Builder b =
        ServerServiceDefinition.builder(service.getServiceDescriptor().getName());
    for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
      b.addMethod(wrap(method));
    }
    return b.build();
  }

  private static <Q, R> ServerMethodDefinition<Object, R> wrap(ServerMethodDefinition<Q, R> def) {
    MethodDescriptor<Q, R> method = def.getMethodDescriptor();
    String type = method.getFullMethodName().replace('/', '.') + " request";
    MethodDescriptor.Marshaller<Object> lenient =
        new MethodDescriptor.Marshaller<>() {
          @Override
          @SuppressWarnings("unchecked")
          public InputStream stream(Object value) {
            return method.getRequestMarshaller().stream((Q) value);
          }

          @Override
          public Object parse(InputStream stream) {
            try {
              return method.parseRequest(stream);
            } catch (RuntimeException e) {
              String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
              return new Malformed(type, reason);
            }
          }
        };
    MethodDescriptor<Object, R> strict =
        method.toBuilder(lenient, method.getResponseMarshaller()).build();
    ServerCallHandler<Q, R> handler = def.getServerCallHandler();
    ServerCallHandler<Object, R> checking =
        (call, headers) -> {
          @SuppressWarnings("unchecked")
          ServerCall<Q, R> typed = (ServerCall<Q, R>) (ServerCall<?, R>) call;
          ServerCall.Listener<Q> delegate = handler.startCall(typed, headers);
          return new ForwardingServerCallListener<Object>() {
            private boolean refused;

            @Override
            @SuppressWarnings("unchecked")
            protected ServerCall.Listener<Object> delegate() {
              return (ServerCall.Listener<Object>) (ServerCall.Listener<?>) delegate;
            }

            @Override
            public void onMessage(Object message) {
              if (message instanceof Malformed m) {
                refused = true;
                call.close(
                    Status.INVALID_ARGUMENT.withDescription(
                        Messages.malformedMessage(m.type(), m.reason())),
                    new Metadata());
                return;
              }
              super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
              if (!refused) {
                super.onHalfClose();
              }
            }

            @Override
            public void onReady() {
              if (!refused) {
                super.onReady();
              }
            }
          };
        };
    return ServerMethodDefinition.create(strict, checking);
  }
}
