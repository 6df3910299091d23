package dev.deferred.emulator.internal;

import io.grpc.Status.Code;

/**
 * HTTP status to RPC code for {@code Attempt.response_status}, following google/rpc/code.proto's
 * HTTP mapping. Where several codes share an HTTP status the most general one is chosen (500 is
 * INTERNAL, 400 INVALID_ARGUMENT, 409 ABORTED); statuses the table does not name fall back by class
 * (other 2xx OK, 3xx and other 5xx UNKNOWN, other 4xx FAILED_PRECONDITION).
 */
final class StatusMapping {
  private StatusMapping() {}

  static Code fromHttp(int http) {
    switch (http) {
      case 400:
        return Code.INVALID_ARGUMENT;
      case 401:
        return Code.UNAUTHENTICATED;
      case 403:
        return Code.PERMISSION_DENIED;
      case 404:
        return Code.NOT_FOUND;
      case 409:
        return Code.ABORTED;
      case 412:
        return Code.FAILED_PRECONDITION;
      case 416:
        return Code.OUT_OF_RANGE;
      case 429:
        return Code.RESOURCE_EXHAUSTED;
      case 499:
        return Code.CANCELLED;
      case 500:
        return Code.INTERNAL;
      case 501:
        return Code.UNIMPLEMENTED;
      case 503:
        return Code.UNAVAILABLE;
      case 504:
        return Code.DEADLINE_EXCEEDED;
      default:
        if (http >= 200 && http < 300) {
          return Code.OK;
        }
        if (http >= 400 && http < 500) {
          return Code.FAILED_PRECONDITION;
        }
        return Code.UNKNOWN;
    }
  }
}
