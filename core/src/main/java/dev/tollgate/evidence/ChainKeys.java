package dev.tollgate.evidence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The keys of a keyed chain: the current one, which signs new rows, and older ones still needed to verify rows
 * written before a rotation. Rotate by putting a new key first and keeping the old one among the previous keys; each
 * row names the key it was written with.
 *
 * <pre>{@code
 * ChainKeys keys = ChainKeys.of(ChainKey.of("k2", Secret.of(env("CHAIN_KEY_K2"))),
 *                               ChainKey.of("k1", Secret.of(env("CHAIN_KEY_K1"))));
 * }</pre>
 */
public final class ChainKeys {

    private final ChainKey current;
    private final Map<String, ChainKey> byId;

    private ChainKeys(ChainKey current, Map<String, ChainKey> byId) {
        this.current = current;
        this.byId = byId;
    }

    /**
     * @param current the key for new rows
     * @param previous keys of rows written before, for verification only
     * @return the keys
     * @throws IllegalArgumentException when two keys share an id
     */
    public static ChainKeys of(ChainKey current, ChainKey... previous) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(previous, "previous");
        Map<String, ChainKey> byId = new LinkedHashMap<>();
        List<String> duplicates = new ArrayList<>();
        byId.put(current.id(), current);
        for (ChainKey key : previous) {
            Objects.requireNonNull(key, "previous key");
            if (byId.putIfAbsent(key.id(), key) != null) {
                duplicates.add(key.id());
            }
        }
        if (!duplicates.isEmpty()) {
            throw new IllegalArgumentException("chain key ids must be unique, but these were given twice: "
                    + duplicates);
        }
        return new ChainKeys(current, Collections.unmodifiableMap(byId));
    }

    /** @return the key new rows are written with */
    public ChainKey current() {
        return current;
    }

    /**
     * @param id a key id read from a row
     * @return the key, if known
     */
    public Optional<ChainKey> find(String id) {
        return Optional.ofNullable(byId.get(Objects.requireNonNull(id, "id")));
    }

    /** Names the key ids only. */
    @Override
    public String toString() {
        return "ChainKeys[current " + current.id() + ", known " + byId.keySet() + "]";
    }
}
