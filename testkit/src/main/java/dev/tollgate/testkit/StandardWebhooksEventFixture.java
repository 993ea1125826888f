package dev.tollgate.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Builds Standard Webhooks bodies, {@code {"type": …, "timestamp": <ISO-8601>, "data": {…}}}, the payload
 * structure the specification recommends. The id is the {@code webhook-id} header the
 * {@link StandardWebhooksSigner} sends.
 *
 * <pre>{@code
 * EventPayload event = StandardWebhooksEventFixture.of("subscription.updated")
 *         .id("msg_1").timestamp(clock.instant())
 *         .data(Map.of("tenant_id", "tenant-42", "status", "active"))
 *         .build();
 * }</pre>
 *
 * <p>Defaults: a random {@code msg_…} id, timestamp now (system clock, milliseconds), empty data. Not
 * thread-safe.
 */
public final class StandardWebhooksEventFixture {

    private final String type;
    private String id = JsonBodies.randomId("msg_");
    private Instant timestamp = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    private ObjectNode data = JsonBodies.object();

    private StandardWebhooksEventFixture(String type) {
        this.type = type;
    }

    /**
     * Starts an event.
     *
     * @param type the event type, such as {@code invoice.paid}
     * @return the fixture
     */
    public static StandardWebhooksEventFixture of(String type) {
        return new StandardWebhooksEventFixture(Objects.requireNonNull(type, "type"));
    }

    /**
     * @param messageId the message id, sent as {@code webhook-id} (default random {@code msg_…})
     * @return this fixture
     */
    public StandardWebhooksEventFixture id(String messageId) {
        this.id = Objects.requireNonNull(messageId, "messageId");
        return this;
    }

    /**
     * @param at the body's {@code timestamp}, the event's creation time (default now)
     * @return this fixture
     */
    public StandardWebhooksEventFixture timestamp(Instant at) {
        this.timestamp = Objects.requireNonNull(at, "at").truncatedTo(ChronoUnit.MILLIS);
        return this;
    }

    /**
     * Sets the {@code data} object from a map (values are written as Jackson writes them).
     *
     * @param fields the fields of {@code data}
     * @return this fixture
     */
    public StandardWebhooksEventFixture data(Map<String, ?> fields) {
        Objects.requireNonNull(fields, "fields");
        JsonNode node = JsonBodies.MAPPER.valueToTree(fields);
        this.data = (ObjectNode) node;
        return this;
    }

    /**
     * Sets one field of {@code data}.
     *
     * @param name the field
     * @param value its text value
     * @return this fixture
     */
    public StandardWebhooksEventFixture data(String name, String value) {
        data.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    /**
     * Checks the settings and writes the body.
     *
     * @return the unsigned event
     * @throws IllegalArgumentException naming every problem at once
     */
    public EventPayload build() {
        List<String> problems = new ArrayList<>();
        if (type.isBlank()) {
            problems.add("type must not be blank");
        }
        if (id.isBlank()) {
            problems.add("id must not be blank");
        }
        if (id.contains(".")) {
            problems.add("id must not contain '.' (the specification keeps it out of message ids), but was '"
                    + id + "'");
        }
        if (!problems.isEmpty()) {
            throw JsonBodies.invalid("Standard Webhooks fixture", problems);
        }
        ObjectNode body = JsonBodies.object();
        body.put("type", type);
        body.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(timestamp));
        body.set("data", data.deepCopy());
        return new EventPayload(id, type, timestamp, JsonBodies.write(body));
    }
}
