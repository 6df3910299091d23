package dev.deferred.impl.codec;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A task payload decoded and resolved against this deployment's classes.
 *
 * @param beanType the bean type to resolve
 * @param qualifiers its qualifiers
 * @param method the method to invoke
 * @param arguments decoded arguments; an entity argument is an {@link EntityReference}, loaded by
 *     {@link PayloadCodec#arguments(DecodedTask)} when the task runs
 * @param maxAttempts the per-task attempt limit
 * @param maxAge the per-task age limit
 * @param deferredAt when the call was deferred
 * @param scheduledAt when the task was planned to run first (its eta, or the defer plus its
 *     countdown, or the defer): {@code maxAge} counts from here
 */
public record DecodedTask(
    Class<?> beanType,
    Annotation[] qualifiers,
    Method method,
    Object[] arguments,
    OptionalInt maxAttempts,
    Optional<Duration> maxAge,
    Instant deferredAt,
    Instant scheduledAt) {

  public String describe() {
    return DeferredInvocation.describe(beanType, method);
  }
}
