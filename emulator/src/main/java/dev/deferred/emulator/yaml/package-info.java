/**
 * Reads App Engine {@code queue.yaml} files into Cloud Tasks v2 {@link
 * com.google.cloud.tasks.v2.Queue} definitions, so that App Engine users can start the emulator
 * with the queue configuration they already have. Entry point: {@link
 * dev.deferred.emulator.yaml.QueueYaml}.
 */
package dev.deferred.emulator.yaml;
