package dev.tollgate.billing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What a tenant is entitled to right now, for clients to cache:
 * {@code {"entitlements":{"pro_access":{"active":true,"expires_at":"2026-12-01T00:00:00Z"}},
 * "billing_status":"active","server_time":"…","ttl_seconds":60}}.
 *
 * @param entitlements each entitlement id and whether it is active
 * @param billingStatus the tenant's status
 * @param serverTime the server's time of the snapshot
 * @param ttlSeconds how long a client may cache it
 */
public record EntitlementsSnapshot(Map<String, Entitlement> entitlements, BillingStatus billingStatus,
                                   Instant serverTime, long ttlSeconds) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * One entitlement.
     *
     * @param active whether it grants access now
     * @param expiresAt when it ends (the paid period or the grace period), {@code null} when unknown or never
     */
    public record Entitlement(boolean active, @Nullable Instant expiresAt) {
    }

    /**
     * Validates the fields and copies the map (sorted by id).
     *
     * @param entitlements each entitlement id and whether it is active
     * @param billingStatus the tenant's status
     * @param serverTime the server's time of the snapshot
     * @param ttlSeconds how long a client may cache it
     */
    public EntitlementsSnapshot {
        entitlements = Map.copyOf(Objects.requireNonNull(entitlements, "entitlements"));
        Objects.requireNonNull(billingStatus, "billingStatus");
        Objects.requireNonNull(serverTime, "serverTime");
    }

    /**
     * The snapshot as JSON (entitlements sorted by id, instants in ISO-8601).
     *
     * @return the JSON text
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode list = root.putObject("entitlements");
        new TreeMap<>(entitlements).forEach((id, entitlement) -> {
            ObjectNode node = list.putObject(id);
            node.put("active", entitlement.active());
            if (entitlement.expiresAt() == null) {
                node.putNull("expires_at");
            } else {
                node.put("expires_at", entitlement.expiresAt().toString());
            }
        });
        root.put("billing_status", billingStatus.wireName());
        root.put("server_time", serverTime.toString());
        root.put("ttl_seconds", ttlSeconds);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
