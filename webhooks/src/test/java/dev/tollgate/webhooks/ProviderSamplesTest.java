package dev.tollgate.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Payloads in the providers' published shapes (test-fixtures/provider-samples) go through the pipeline with the
 * right id and type.
 */
class ProviderSamplesTest {

    private static Path samples() throws URISyntaxException {
        return Path.of(ProviderSamplesTest.class.getResource("/provider-samples").toURI());
    }

    @Test
    @DisplayName("Stripe's event fixture and every RevenueCat sample are processed with the ids and types they carry")
    void providerSamples() throws IOException, URISyntaxException {
        Path dir = samples();
        MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
        List<WebhookEvent> seen = new ArrayList<>();
        WebhookPipeline pipeline = WebhookPipeline.builder()
                .verifier(new HmacTestVerifier("stripe", TestDeliveries.SECRET, clock))
                .verifier(new HmacTestVerifier("revenuecat", TestDeliveries.SECRET, clock))
                .store(InMemoryIdempotencyStore.builder().clock(clock).build())
                .on("*", seen::add).build();
        ObjectMapper mapper = new ObjectMapper();

        byte[] stripe = Files.readAllBytes(dir.resolve("stripe_event.json"));
        assertEquals(200, pipeline.handle("stripe", TestDeliveries.signed(clock, stripe)).httpStatus());
        JsonNode stripeJson = mapper.readTree(stripe);
        assertEquals(stripeJson.get("id").asText(), seen.get(0).id());
        assertEquals(stripeJson.get("type").asText(), seen.get(0).type());
        assertNotNull(seen.get(0).stripeEvent().getId());

        List<Path> revenueCat;
        try (Stream<Path> files = Files.list(dir)) {
            revenueCat = files.filter(p -> p.getFileName().toString().startsWith("revenuecat_")).sorted().toList();
        }
        assertFalse(revenueCat.isEmpty(), "no RevenueCat samples");
        for (Path file : revenueCat) {
            byte[] body = Files.readAllBytes(file);
            WebhookResult result = pipeline.handle("revenuecat", TestDeliveries.signed(clock, body));
            JsonNode event = mapper.readTree(body).get("event");
            assertEquals(200, result.httpStatus(), file + ": " + result);
            assertEquals(event.get("id").asText(), result.eventId(), file.toString());
            if (result.status().equals("processed")) {
                WebhookEvent last = seen.get(seen.size() - 1);
                assertEquals(event.get("type").asText(), last.type(), file.toString());
                assertNotNull(last.created(), file.toString());
            }
        }
    }
}
