package dev.deferred.impl.store;

import java.util.Optional;

/**
 * Holds task payloads that are too large to travel inside a Cloud Tasks task. The task then carries
 * only the key returned by {@link #put(byte[])}.
 *
 * <p>Implementations are thread-safe. A key is an opaque, URL-safe string of at most 200 ASCII
 * characters; callers must not parse it.
 *
 * <p>Lifecycle: the defer path calls {@link #put(byte[])}; the handler calls {@link #get(String)}
 * when the task runs and {@link #delete(String)} once the task succeeded or failed permanently (a
 * task that will be retried still needs its payload).
 */
public interface PayloadStore {

  /**
   * Stores a payload under a new, unique key.
   *
   * @param payload the bytes to store; not copied by callers afterwards, so implementations that
   *     keep the array must copy it
   * @return the key under which {@link #get(String)} finds the payload
   * @throws PayloadTooLargeException if the payload exceeds {@link #maxPayloadBytes()}
   * @throws StoreException if the store cannot be reached or refuses the write
   */
  String put(byte[] payload);

  /**
   * Reads a payload.
   *
   * @param key a key returned by {@link #put(byte[])}
   * @return the payload, or empty if there is none under that key (never stored, or deleted)
   * @throws StoreException if the store cannot be reached, or the stored payload is incomplete
   */
  Optional<byte[]> get(String key);

  /**
   * Deletes a payload. Deleting a key that holds nothing is not an error, so a repeated delivery of
   * the same task is harmless.
   *
   * @param key a key returned by {@link #put(byte[])}
   * @throws StoreException if the store cannot be reached
   */
  void delete(String key);

  /**
   * The largest payload this store accepts, in bytes.
   *
   * @return the limit; {@link #put(byte[])} rejects anything larger
   */
  long maxPayloadBytes();
}
