package dev.deferred.emulator.internal;

import com.google.cloud.tasks.v2.CloudTasksGrpc;
import com.google.cloud.tasks.v2.CreateQueueRequest;
import com.google.cloud.tasks.v2.CreateTaskRequest;
import com.google.cloud.tasks.v2.DeleteQueueRequest;
import com.google.cloud.tasks.v2.DeleteTaskRequest;
import com.google.cloud.tasks.v2.GetQueueRequest;
import com.google.cloud.tasks.v2.GetTaskRequest;
import com.google.cloud.tasks.v2.ListQueuesRequest;
import com.google.cloud.tasks.v2.ListQueuesResponse;
import com.google.cloud.tasks.v2.ListTasksRequest;
import com.google.cloud.tasks.v2.ListTasksResponse;
import com.google.cloud.tasks.v2.PauseQueueRequest;
import com.google.cloud.tasks.v2.PurgeQueueRequest;
import com.google.cloud.tasks.v2.Queue;
import com.google.cloud.tasks.v2.ResumeQueueRequest;
import com.google.cloud.tasks.v2.RunTaskRequest;
import com.google.cloud.tasks.v2.Task;
import com.google.cloud.tasks.v2.UpdateQueueRequest;
import com.google.iam.v1.GetIamPolicyRequest;
import com.google.iam.v1.Policy;
import com.google.iam.v1.SetIamPolicyRequest;
import com.google.iam.v1.TestIamPermissionsRequest;
import com.google.iam.v1.TestIamPermissionsResponse;
import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;

/**
 * The Cloud Tasks v2 gRPC service. Each call runs in its own try/catch: a validation failure
 * becomes its status, anything unexpected becomes INTERNAL with the cause, and no request can take
 * the server down or leave a queue locked.
 */
public final class CloudTasksService extends CloudTasksGrpc.CloudTasksImplBase {
  private final EmulatorCore core;
  private final Dispatcher dispatcher;

  public CloudTasksService(EmulatorCore core, Dispatcher dispatcher) {
    this.core = core;
    this.dispatcher = dispatcher;
  }

  private static <T> void unary(StreamObserver<T> observer, Supplier<T> call) {
    T result;
    try {
      result = call.get();
    } catch (StatusRuntimeException e) {
      observer.onError(e);
      return;
    } catch (RuntimeException | Error e) {
      observer.onError(
          Status.INTERNAL
              .withDescription("The emulator failed on this request: " + e)
              .withCause(e)
              .asRuntimeException());
      return;
    }
    observer.onNext(result);
    observer.onCompleted();
  }

  private static String required(String value, String field) {
    if (value == null || value.isEmpty()) {
      throw Errors.invalid(field + " is required.");
    }
    return value;
  }

  @Override
  public void listQueues(ListQueuesRequest request, StreamObserver<ListQueuesResponse> observer) {
    unary(
        observer,
        () -> {
          EmulatorCore.QueuePage page =
              core.listQueues(
                  required(request.getParent(), "parent"),
                  request.getFilter(),
                  request.getPageSize(),
                  request.getPageToken());
          return ListQueuesResponse.newBuilder()
              .addAllQueues(page.queues())
              .setNextPageToken(page.nextPageToken())
              .build();
        });
  }

  @Override
  public void getQueue(GetQueueRequest request, StreamObserver<Queue> observer) {
    unary(observer, () -> core.getQueue(required(request.getName(), "name")));
  }

  @Override
  public void createQueue(CreateQueueRequest request, StreamObserver<Queue> observer) {
    unary(
        observer,
        () -> core.createQueue(required(request.getParent(), "parent"), request.getQueue()));
  }

  @Override
  public void updateQueue(UpdateQueueRequest request, StreamObserver<Queue> observer) {
    unary(observer, () -> core.updateQueue(request.getQueue(), request.getUpdateMask()));
  }

  @Override
  public void deleteQueue(DeleteQueueRequest request, StreamObserver<Empty> observer) {
    unary(
        observer,
        () -> {
          core.deleteQueue(required(request.getName(), "name"));
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void purgeQueue(PurgeQueueRequest request, StreamObserver<Queue> observer) {
    unary(observer, () -> core.purgeQueue(required(request.getName(), "name")));
  }

  @Override
  public void pauseQueue(PauseQueueRequest request, StreamObserver<Queue> observer) {
    unary(observer, () -> core.setState(required(request.getName(), "name"), Queue.State.PAUSED));
  }

  @Override
  public void resumeQueue(ResumeQueueRequest request, StreamObserver<Queue> observer) {
    unary(observer, () -> core.setState(required(request.getName(), "name"), Queue.State.RUNNING));
  }

  @Override
  public void getIamPolicy(GetIamPolicyRequest request, StreamObserver<Policy> observer) {
    unary(observer, () -> core.getIamPolicy(required(request.getResource(), "resource")));
  }

  @Override
  public void setIamPolicy(SetIamPolicyRequest request, StreamObserver<Policy> observer) {
    unary(
        observer,
        () -> core.setIamPolicy(required(request.getResource(), "resource"), request.getPolicy()));
  }

  @Override
  public void testIamPermissions(
      TestIamPermissionsRequest request, StreamObserver<TestIamPermissionsResponse> observer) {
    unary(
        observer,
        () -> {
          core.getIamPolicy(required(request.getResource(), "resource"));
          // Policies are stored, never enforced: the caller holds every permission it asks for.
          return TestIamPermissionsResponse.newBuilder()
              .addAllPermissions(request.getPermissionsList())
              .build();
        });
  }

  @Override
  public void listTasks(ListTasksRequest request, StreamObserver<ListTasksResponse> observer) {
    unary(
        observer,
        () -> {
          EmulatorCore.TaskPage page =
              core.listTasks(
                  required(request.getParent(), "parent"),
                  request.getResponseView(),
                  request.getPageSize(),
                  request.getPageToken());
          return ListTasksResponse.newBuilder()
              .addAllTasks(page.tasks())
              .setNextPageToken(page.nextPageToken())
              .build();
        });
  }

  @Override
  public void getTask(GetTaskRequest request, StreamObserver<Task> observer) {
    unary(
        observer,
        () -> core.getTask(required(request.getName(), "name"), request.getResponseView()));
  }

  @Override
  public void createTask(CreateTaskRequest request, StreamObserver<Task> observer) {
    unary(
        observer,
        () ->
            core.createTask(
                required(request.getParent(), "parent"),
                request.getTask(),
                request.getResponseView()));
  }

  @Override
  public void deleteTask(DeleteTaskRequest request, StreamObserver<Empty> observer) {
    unary(
        observer,
        () -> {
          core.deleteTask(required(request.getName(), "name"));
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void runTask(RunTaskRequest request, StreamObserver<Task> observer) {
    unary(
        observer,
        () -> dispatcher.runTask(required(request.getName(), "name"), request.getResponseView()));
  }
}
