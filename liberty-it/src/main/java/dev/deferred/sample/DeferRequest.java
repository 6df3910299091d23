package dev.deferred.sample;

import java.util.Map;

/**
 * What {@code POST /api/scenarios/defer} should defer and with which options. Every field is
 * optional except {@code task} and {@code key}; the integration tests send one per scenario.
 *
 * @param task which call to defer (see {@link ScenarioResource#defer})
 * @param key the journal key the task records under
 * @param message free text handed to the task
 * @param failures how many attempts fail before success
 * @param size the length of the large argument of {@code recordLength}
 * @param transaction {@code none} (default), {@code commit} or {@code rollback}: whether the defer
 *     happens inside a JTA transaction and how that ends
 * @param transactional the explicit {@code DeferOptions.transactional} choice, if any
 * @param queue {@code DeferOptions.onQueue}
 * @param countdownMillis {@code DeferOptions.countdown}
 * @param etaEpochMillis {@code DeferOptions.eta}
 * @param name {@code DeferOptions.name}
 * @param headers {@code DeferOptions.header}
 * @param maxAttempts {@code DeferOptions.maxAttempts}
 * @param maxAgeMillis {@code DeferOptions.maxAge}
 * @param dispatchDeadlineSeconds {@code DeferOptions.dispatchDeadline}
 * @param handlerUrl {@code DeferOptions.handlerUrl}
 * @param qualifier {@code loud} for {@code DeferOptions.qualifiers(Loud.Literal.INSTANCE)}
 * @param entityArguments {@code REFERENCE} or {@code VALUE}
 * @param smallTask {@code DeferOptions.smallTask}
 * @param failOnDuplicate {@code DeferOptions.failOnDuplicate}
 * @param noteText the text of the note created for note tasks
 * @param noteTextAfterDefer if set, the note's text is changed to it after the defer, in the same
 *     transaction
 */
public record DeferRequest(
    String task,
    String key,
    String message,
    Integer failures,
    Integer size,
    String transaction,
    Boolean transactional,
    String queue,
    Long countdownMillis,
    Long etaEpochMillis,
    String name,
    Map<String, String> headers,
    Integer maxAttempts,
    Long maxAgeMillis,
    Long dispatchDeadlineSeconds,
    String handlerUrl,
    String qualifier,
    String entityArguments,
    Boolean smallTask,
    Boolean failOnDuplicate,
    String noteText,
    String noteTextAfterDefer) {}
