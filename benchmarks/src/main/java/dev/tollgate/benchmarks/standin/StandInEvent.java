package dev.tollgate.benchmarks.standin;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Stand-in for Tollgate's parsed webhook event: the envelope fields a pipeline needs and the data
 * object as a tree.
 *
 * @param id the provider's event id
 * @param type the event type
 * @param created when the provider created the event, epoch seconds
 * @param dataObject {@code data.object} of the event
 */
public record StandInEvent(String id, String type, long created, JsonNode dataObject) {
}
