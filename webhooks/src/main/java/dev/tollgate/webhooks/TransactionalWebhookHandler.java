package dev.tollgate.webhooks;

import java.sql.Connection;

/**
 * Handles verified events of one type inside the database transaction that records the event as
 * processed: the handler's writes on the given connection and the completion commit together, or
 * not at all, so its effect happens exactly once. Requires a {@link PostgresIdempotencyStore}; the
 * connection is one of its data source's.
 *
 * <pre>{@code
 * WebhookPipeline.builder()
 *     .onTransactional("invoice.paid", (event, connection) -> {
 *         try (PreparedStatement s = connection.prepareStatement("UPDATE … WHERE tenant_id = ?")) { … }
 *     })
 * }</pre>
 *
 * <p>Do not commit, roll back, close or change the auto-commit mode of the connection: the pipeline
 * does. When the handler throws, its writes are rolled back and the failure is recorded.
 */
@FunctionalInterface
public interface TransactionalWebhookHandler {

    /**
     * Handles an event in the pipeline's transaction.
     *
     * @param event the verified event
     * @param connection the transaction's connection
     * @throws Exception to roll back this attempt's writes and fail it
     */
    void handle(WebhookEvent event, Connection connection) throws Exception;
}
