package dev.tollgate.webhooks;

/**
 * Handles verified events of one type. Register it with {@link WebhookPipeline.Builder#on}.
 *
 * <p>It runs at most once per successful delivery of an event, but may run again after a failure, or
 * when its lease expired before it finished: make its effect idempotent, or use a
 * {@link TransactionalWebhookHandler} whose effect commits with the event's completion. A handler that
 * throws makes the attempt fail (500 to the provider, or a retry with backoff in asynchronous mode).
 */
@FunctionalInterface
public interface WebhookHandler {

    /**
     * Handles an event.
     *
     * @param event the verified event
     * @throws Exception to fail this attempt; the event is retried, then dead-lettered
     */
    void handle(WebhookEvent event) throws Exception;
}
