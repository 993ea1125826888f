package dev.tollgate.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.webhooks.ClaimResult;
import dev.tollgate.webhooks.IdempotencyStore;
import dev.tollgate.webhooks.IdempotencyStoreException;
import dev.tollgate.webhooks.InMemoryIdempotencyStore;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Runs the contract against {@link InMemoryIdempotencyStore}, plus its bound. */
class InMemoryIdempotencyStoreContractTest extends IdempotencyStoreContract {

    private Clock clock = Clock.systemUTC();

    @Override
    protected IdempotencyStore createStore(Clock clock) {
        this.clock = clock;
        return InMemoryIdempotencyStore.builder().clock(clock).build();
    }

    @Test
    @DisplayName("a full store forgets its oldest processed event first")
    void evictsOldestProcessed() {
        InMemoryIdempotencyStore small = InMemoryIdempotencyStore.builder().clock(clock).maximumSize(3).build();
        Duration lease = Duration.ofSeconds(30);
        small.complete(small.claim("stripe", "a", lease));
        small.complete(small.claim("stripe", "b", lease));
        small.claim("stripe", "c", lease);
        assertTrue(small.claim("stripe", "d", lease).isNew());
        assertTrue(small.state("stripe", "a").isEmpty(), "a was evicted");
        assertEquals(ClaimResult.Status.ALREADY_PROCESSED, small.claim("stripe", "b", lease).status());
    }

    @Test
    @DisplayName("a store full of unfinished events refuses a new claim with CAPACITY_EXCEEDED")
    void refusesWhenFullOfUnfinished() {
        InMemoryIdempotencyStore small = InMemoryIdempotencyStore.builder().clock(clock).maximumSize(2).build();
        Duration lease = Duration.ofSeconds(30);
        small.claim("stripe", "a", lease);
        small.claim("stripe", "b", lease);
        IdempotencyStoreException e = assertThrows(IdempotencyStoreException.class,
                () -> small.claim("stripe", "c", lease));
        assertEquals(IdempotencyStoreException.Reason.CAPACITY_EXCEEDED, e.reason());
        assertEquals(ClaimResult.Status.IN_PROGRESS, small.claim("stripe", "a", lease).status());
    }

    @Test
    @DisplayName("the builder refuses a maximum size below 1, naming the value")
    void builderValidates() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InMemoryIdempotencyStore.builder().maximumSize(0).build());
        assertTrue(e.getMessage().contains("maximumSize must be at least 1, but was 0"), e.getMessage());
    }
}
