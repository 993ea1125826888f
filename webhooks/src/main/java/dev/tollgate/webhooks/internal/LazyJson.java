package dev.tollgate.webhooks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.AbstractMap;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The JSON tree of an event, built on first use: the pipeline reads only the id, type and creation time (with a
 * streaming parser, {@link EventParser}) to claim an event, and a handler that never calls
 * {@code WebhookEvent.json()} never pays for the tree. The node is an {@link ObjectNode} whose children are parsed
 * from the payload the first time anything reads them, once, thread-safely; after that it is an ordinary tree.
 *
 * <p>{@link EventParser} hands {@link #pending()} to the {@code WebhookEvent} constructor, which {@linkplain #bind
 * binds} it to the delivery's body (not copied: {@code WebhookRequest}'s contract keeps it unmodified).
 */
public final class LazyJson {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final ObjectNode PENDING = new ObjectNode(JsonNodeFactory.instance);

    private LazyJson() {
    }

    /** @return the placeholder a parser passes as an event's tree, to be bound to the event's payload */
    public static JsonNode pending() {
        return PENDING;
    }

    /**
     * @param json a tree
     * @return whether it is the {@linkplain #pending() placeholder}
     */
    public static boolean isPending(JsonNode json) {
        return json == PENDING;
    }

    /**
     * Binds the {@linkplain #pending() placeholder} to a payload; any other tree is returned as it is.
     *
     * @param json a tree, or the placeholder
     * @param payload a payload that was checked to be one JSON object, never modified afterwards
     * @return the tree, parsed from {@code payload} on first use when {@code json} was the placeholder
     */
    public static JsonNode bind(JsonNode json, byte[] payload) {
        return json == PENDING ? new ObjectNode(JsonNodeFactory.instance, new Children(payload)) : json;
    }

    /** An object's children, parsed on first use. */
    private static final class Children extends AbstractMap<String, JsonNode> {

        private final byte[] payload;
        private volatile @Nullable Map<String, JsonNode> parsed;

        Children(byte[] payload) {
            this.payload = payload;
        }

        private Map<String, JsonNode> map() {
            Map<String, JsonNode> map = parsed;
            if (map != null) {
                return map;
            }
            synchronized (this) {
                if (parsed == null) {
                    parsed = parse();
                }
                return parsed;
            }
        }

        private Map<String, JsonNode> parse() {
            JsonNode tree;
            try {
                tree = MAPPER.readTree(payload);
            } catch (IOException e) {
                throw new IllegalStateException("the event's payload, checked when it was received, no longer parses",
                        e);
            }
            if (!(tree instanceof ObjectNode object)) {
                throw new IllegalStateException("the event's payload, checked when it was received, is not an object");
            }
            Map<String, JsonNode> map = new LinkedHashMap<>();
            object.fields().forEachRemaining(entry -> map.put(entry.getKey(), entry.getValue()));
            return map;
        }

        @Override
        public Set<Entry<String, JsonNode>> entrySet() {
            return map().entrySet();
        }

        @Override
        public Set<String> keySet() {
            return map().keySet();
        }

        @Override
        public Collection<JsonNode> values() {
            return map().values();
        }

        @Override
        public int size() {
            return map().size();
        }

        @Override
        public boolean isEmpty() {
            return map().isEmpty();
        }

        @Override
        public boolean containsKey(Object key) {
            return map().containsKey(key);
        }

        @Override
        public JsonNode get(Object key) {
            return map().get(key);
        }

        @Override
        public JsonNode put(String key, JsonNode value) {
            return map().put(key, value);
        }

        @Override
        public JsonNode remove(Object key) {
            return map().remove(key);
        }

        @Override
        public void putAll(Map<? extends String, ? extends JsonNode> m) {
            map().putAll(m);
        }

        @Override
        public void clear() {
            map().clear();
        }

        @Override
        public boolean equals(Object o) {
            return map().equals(o);
        }

        @Override
        public int hashCode() {
            return map().hashCode();
        }

        @Override
        public String toString() {
            return map().toString();
        }
    }
}
