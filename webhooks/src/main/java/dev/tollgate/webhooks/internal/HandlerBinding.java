package dev.tollgate.webhooks.internal;

import dev.tollgate.webhooks.TransactionalWebhookHandler;
import dev.tollgate.webhooks.WebhookHandler;
import org.jspecify.annotations.Nullable;

/**
 * The handler registered for an event type: exactly one of the two is set.
 *
 * @param plain a handler outside any transaction
 * @param transactional a handler in the completion's transaction
 */
public record HandlerBinding(@Nullable WebhookHandler plain, @Nullable TransactionalWebhookHandler transactional) {

    /** Checks that exactly one handler is set. */
    public HandlerBinding {
        if ((plain == null) == (transactional == null)) {
            throw new IllegalArgumentException("exactly one of plain and transactional must be set");
        }
    }
}
