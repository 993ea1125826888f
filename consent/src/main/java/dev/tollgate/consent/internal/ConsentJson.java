package dev.tollgate.consent.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.tollgate.consent.Purpose;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The JSON forms stored in {@code consent.policies.purposes} and {@code consent.records.purposes}. */
public final class ConsentJson {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private ConsentJson() {
    }

    /** @return a shared, configured mapper (thread-safe once configured) */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * @param purposes a policy's purposes
     * @return {@code [{"id":…,"necessary":…,"description":…}, …]}
     */
    public static String purposesToJson(List<Purpose> purposes) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Purpose p : purposes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", p.id());
            m.put("necessary", p.necessary());
            m.put("description", p.description());
            out.add(m);
        }
        return write(out);
    }

    /**
     * @param json the stored array
     * @return the purposes
     */
    public static List<Purpose> purposesFromJson(String json) {
        try {
            List<Map<String, Object>> list = MAPPER.readValue(json, new TypeReference<List<Map<String, Object>>>() { });
            List<Purpose> out = new ArrayList<>();
            for (Map<String, Object> m : list) {
                out.add(new Purpose((String) m.get("id"), Boolean.TRUE.equals(m.get("necessary")),
                        String.valueOf(m.getOrDefault("description", ""))));
            }
            return out;
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("consent.policies.purposes is not a purpose array", e);
        }
    }

    /**
     * @param decisions purpose id → granted
     * @return a JSON object
     */
    public static String decisionsToJson(Map<String, Boolean> decisions) {
        return write(new TreeMap<>(decisions));
    }

    /**
     * @param json a stored JSON object
     * @return purpose id → granted
     */
    public static Map<String, Boolean> decisionsFromJson(String json) {
        try {
            return MAPPER.readValue(json, new TypeReference<TreeMap<String, Boolean>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("consent.records.purposes is not an object of booleans", e);
        }
    }

    /**
     * @param value any JSON-serializable value
     * @return pretty-printed JSON
     */
    public static String writePretty(Object value) {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write JSON", e);
        }
    }

    private static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write JSON", e);
        }
    }
}
