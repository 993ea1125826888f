package dev.tollgate.benchmarks.standin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Stand-in for Tollgate's Stripe event parser: one Jackson tree read and the envelope fields. To be
 * replaced by Tollgate's event parsing (verify + parse) once merged.
 */
public final class StandInEventParser {

    private final ObjectMapper mapper = new ObjectMapper();

    /** Creates a parser with a default {@link ObjectMapper}. */
    public StandInEventParser() {
    }

    /**
     * Parses a Stripe event.
     *
     * @param payload the JSON body
     * @return the event
     * @throws IllegalArgumentException if the body is not a JSON event with {@code id} and {@code type}
     */
    public StandInEvent parse(String payload) {
        JsonNode root;
        try {
            root = mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("malformed event JSON at " + e.getLocation(), e);
        }
        JsonNode id = root.path("id");
        JsonNode type = root.path("type");
        if (!id.isTextual() || !type.isTextual()) {
            throw new IllegalArgumentException("event JSON lacks a text id or type");
        }
        return new StandInEvent(id.asText(), type.asText(), root.path("created").asLong(),
                root.path("data").path("object"));
    }
}
