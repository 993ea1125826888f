package dev.tollgate.health.micrometer;

import dev.tollgate.testkit.MutableClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.BillingStatus;
import dev.tollgate.billing.EnforcementMode;
import dev.tollgate.billing.InMemoryBillingRepository;
import dev.tollgate.billing.OperationClass;
import dev.tollgate.billing.TenantBilling;
import dev.tollgate.consent.ConsentDecision;
import dev.tollgate.consent.ConsentPolicy;
import dev.tollgate.consent.ConsentService;
import dev.tollgate.consent.InMemoryConsentRepository;
import dev.tollgate.consent.Purpose;
import dev.tollgate.health.metrics.MeterDefinition;
import dev.tollgate.health.metrics.TollgateMeters;
import dev.tollgate.health.micrometer.billing.MicrometerGateObserver;
import dev.tollgate.health.micrometer.consent.MicrometerConsentObserver;
import dev.tollgate.health.micrometer.legal.MicrometerLegalObserver;
import dev.tollgate.health.micrometer.webhooks.MicrometerWebhookObserver;
import dev.tollgate.legal.AcceptanceRequest;
import dev.tollgate.legal.DocumentKind;
import dev.tollgate.legal.InMemoryLegalRepository;
import dev.tollgate.legal.LegalDocument;
import dev.tollgate.legal.LegalService;
import dev.tollgate.webhooks.InMemoryIdempotencyStore;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookPayloadException;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookRequest;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Micrometer observers of webhooks, billing, consent and legal, driven through the real pipeline, gate and
 * services: the counts are right, and every meter they register is a catalogue meter with catalogue tags and
 * values (so the shipped dashboard and alerts see them).
 */
class ModuleObserversTest {

    private static final String SECRET = "whsec_observers_test_0123456789abcdef";
    private final MutableClock clock = MutableClock.at("2026-03-01T12:00:00Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @AfterEach
    void everyMeterIsInTheCatalogue() {
        for (Meter meter : registry.getMeters()) {
            String name = meter.getId().getName();
            Optional<MeterDefinition> definition = TollgateMeters.ALL.stream().filter(d -> d.name().equals(name))
                    .findFirst();
            assertTrue(definition.isPresent(), name + " is not in TollgateMeters");
            for (Tag tag : meter.getId().getTags()) {
                assertTrue(definition.get().tags().containsKey(tag.getKey()), name + " has tag " + tag.getKey());
                var allowed = definition.get().tags().get(tag.getKey());
                assertTrue(allowed.isEmpty() || allowed.contains(tag.getValue()),
                        name + " " + tag.getKey() + "=" + tag.getValue() + " is not a catalogue value " + allowed);
            }
        }
    }

    private double count(String name, String... tags) {
        var search = registry.find(name).tags(tags);
        return search.counter() != null ? search.counter().count() : 0;
    }

    private WebhookRequest signed(String id, String type) {
        String body = "{\"id\":\"" + id + "\",\"object\":\"event\",\"type\":\"" + type + "\",\"created\":"
                + clock.instant().getEpochSecond() + ",\"data\":{\"object\":{}}}";
        long t = clock.instant().getEpochSecond();
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String v1 = HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
            return WebhookRequest.of(Map.of(StripeVerifier.SIGNATURE_HEADER, "t=" + t + ",v1=" + v1),
                    body.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void webhookOutcomesRefusalsTimesAndDeadLetters() {
        WebhookPipeline pipeline = WebhookPipeline.builder()
                .verifier(StripeVerifier.builder().secret(SECRET).clock(clock).build())
                .store(InMemoryIdempotencyStore.builder().clock(clock).build()).clock(clock).maxAttempts(1)
                .observer(new MicrometerWebhookObserver(registry))
                .on("invoice.paid", event -> clock.advance(Duration.ofMillis(40)))
                .on("invoice.payment_failed", event -> {
                    throw new IllegalStateException("handler down");
                })
                .on("customer.deleted", event -> {
                    throw new WebhookPayloadException(WebhookPayloadException.Reason.INVALID_EVENT_OBJECT, "no", null);
                })
                .build();
        pipeline.handle("stripe", signed("evt_1", "invoice.paid"));
        pipeline.handle("stripe", signed("evt_1", "invoice.paid"));
        pipeline.handle("stripe", signed("evt_2", "invoice.payment_failed"));
        pipeline.handle("stripe", signed("evt_3", "customer.deleted"));
        pipeline.handle("stripe", WebhookRequest.of(Map.of(StripeVerifier.SIGNATURE_HEADER, "t=1,v1=00"),
                "{}".getBytes(StandardCharsets.UTF_8)));
        pipeline.handle("stripe", WebhookRequest.of(Map.of(), "{}".getBytes(StandardCharsets.UTF_8)));
        for (int i = 0; i < 50; i++) { // attacker-chosen provider names do not become tag values
            pipeline.handle("provider-" + i, signed("evt_x", "invoice.paid"));
        }

        assertEquals(1, count(TollgateMeters.WEBHOOK_EVENTS, "provider", "stripe", "type", "invoice.paid", "outcome", "processed"));
        assertEquals(1, count(TollgateMeters.WEBHOOK_EVENTS, "outcome", "duplicate"));
        assertEquals(1, count(TollgateMeters.WEBHOOK_EVENTS, "type", "invoice.payment_failed", "outcome", "dead"));
        assertEquals(1, count(TollgateMeters.WEBHOOK_EVENTS, "type", "customer.deleted", "outcome", "rejected"));
        assertEquals(2, count(TollgateMeters.WEBHOOK_DEAD_LETTERS, "provider", "stripe"));
        assertEquals(1, count(TollgateMeters.WEBHOOK_VERIFICATION_FAILURES, "provider", "stripe", "reason",
                "timestamp_outside_tolerance"));
        assertEquals(1, count(TollgateMeters.WEBHOOK_VERIFICATION_FAILURES, "provider", "stripe", "reason",
                "missing_signature"));
        assertEquals(50, count(TollgateMeters.WEBHOOK_VERIFICATION_FAILURES, "provider", "other", "reason",
                "unknown_provider"));
        var processed = registry.find(TollgateMeters.WEBHOOK_PROCESSING).tags("outcome", "processed").timer();
        assertEquals(1, processed.count());
        assertEquals(40, processed.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS), 0.001);
        assertEquals(2, registry.find(TollgateMeters.WEBHOOK_PROCESSING).tags("outcome", "failed").timer().count());
    }

    @Test
    void gateDecisionsByOutcomeAndStatus() {
        Instant now = clock.instant();
        InMemoryBillingRepository repository = new InMemoryBillingRepository(clock);
        repository.put(TenantBilling.of("tenant-late", BillingStatus.PAST_DUE, now), "test");
        repository.put(TenantBilling.of("tenant-paid", BillingStatus.ACTIVE, now), "test");
        BillingGate gate = BillingGate.builder().repository(repository).clock(clock)
                .observer(new MicrometerGateObserver(registry)).build();
        assertEquals(402, gate.check("tenant-late", OperationClass.WRITE).httpStatus());
        gate.check("tenant-paid", OperationClass.WRITE);
        gate.check("tenant-paid", OperationClass.READ);
        gate.setEnforcementMode(EnforcementMode.REPORT_ONLY);
        gate.check("tenant-late", OperationClass.WRITE);
        assertEquals(1, count(TollgateMeters.GATE_DECISIONS, "outcome", "blocked", "status", "past_due"));
        assertEquals(2, count(TollgateMeters.GATE_DECISIONS, "outcome", "allowed", "status", "active"));
        assertEquals(1, count(TollgateMeters.GATE_DECISIONS, "outcome", "report_only", "status", "past_due"));
        registry.getMeters().forEach(m -> assertTrue(m.getId().getTags().stream()
                .noneMatch(t -> t.getValue().startsWith("tenant-")), "no tenant id in tags: " + m.getId()));
    }

    @Test
    void consentWritesAndLegalAcceptances() {
        Instant now = clock.instant();
        ConsentService consent = ConsentService.builder().repository(new InMemoryConsentRepository()).clock(clock)
                .observer(new MicrometerConsentObserver(registry)).build();
        consent.publishPolicy(ConsentPolicy.builder().version("1.0").effectiveAt(now)
                .purpose(Purpose.necessary("necessary", "Sign-in")).purpose(Purpose.optional("analytics", "Stats"))
                .shownText("We use cookies.").build());
        consent.record(ConsentDecision.builder().subjectId("visitor").policyVersion("1.0").acceptAll().source("banner")
                .build());
        consent.withdraw("visitor", "settings");
        assertEquals(1, count(TollgateMeters.CONSENT_WRITES, "action", "grant"));
        assertEquals(1, count(TollgateMeters.CONSENT_WRITES, "action", "withdraw"));

        LegalService legal = LegalService.builder().repository(new InMemoryLegalRepository()).clock(clock)
                .observer(new MicrometerLegalObserver(registry)).build();
        for (DocumentKind kind : new DocumentKind[] {DocumentKind.TERMS, DocumentKind.PRIVACY, new DocumentKind("cookies")}) {
            legal.publish(LegalDocument.builder().kind(kind).version("1").title("Title").effectiveAt(now)
                    .content(kind + " text").requiresReacceptance(true).build());
        }
        legal.accept(AcceptanceRequest.builder().userId("user-1").source("signup").document(DocumentKind.TERMS, "1")
                .document(DocumentKind.PRIVACY, "1").document(new DocumentKind("cookies"), "1").build());
        assertEquals(1, count(TollgateMeters.LEGAL_ACCEPTANCES, "document", "terms"));
        assertEquals(1, count(TollgateMeters.LEGAL_ACCEPTANCES, "document", "privacy"));
        assertEquals(1, count(TollgateMeters.LEGAL_ACCEPTANCES, "document", "other"));
    }
}
