package dev.tollgate.health.preflight.modules;

import dev.tollgate.billing.BillingDecision;
import dev.tollgate.billing.BillingGate;
import dev.tollgate.billing.BillingStatus;
import dev.tollgate.billing.EnforcementMode;
import dev.tollgate.billing.OperationClass;
import dev.tollgate.billing.PostgresBillingRepository;
import dev.tollgate.health.preflight.PreflightCheck;
import dev.tollgate.health.preflight.PreflightOutcome;
import dev.tollgate.webhooks.EventFormat;
import dev.tollgate.webhooks.PostgresIdempotencyStore;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookRequest;
import dev.tollgate.webhooks.WebhookResult;
import dev.tollgate.webhooks.WebhookVerifier;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

/**
 * The runbook's "webhook verified, idempotent" and "gating works" checks, run for real against the database:
 * each step uses its own provider name, event id or tenant id, never touches anything else, and deletes what it
 * wrote, also when it fails.
 *
 * <pre>{@code
 * Preflight.builder()
 *         .step("webhook round trip", ModulePreflightSteps.signedWebhookRoundTrip(dataSource, Clock.systemUTC()))
 *         .step("gate past_due → 402", ModulePreflightSteps.gateBlocksPastDue(dataSource, Clock.systemUTC()))
 *         .build().run();
 * }</pre>
 */
public final class ModulePreflightSteps {

    /** The provider name of the preflight's test event in {@code webhooks.events}. */
    public static final String WEBHOOK_PROVIDER = "tollgate-preflight";
    /** The prefix of the synthetic tenant ids the gate step writes to {@code billing.tenant_billing}. */
    public static final String TENANT_PREFIX = "tollgate-preflight-";
    private static final String EVENT_TYPE = "tollgate.preflight";

    private ModulePreflightSteps() {
    }

    /**
     * Signs a test event (with a one-time secret), delivers it twice through a real {@link WebhookPipeline} on a
     * {@link PostgresIdempotencyStore}, and checks: the first answer is {@code processed}, the second
     * {@code skipped/already_processed}, the handler ran once and {@code webhooks.events} holds exactly one
     * processed row. The row is deleted afterwards.
     *
     * @param dataSource the database with the webhooks schema
     * @param clock the clock for signing, verification and the store
     * @return the step
     */
    public static PreflightCheck signedWebhookRoundTrip(DataSource dataSource, Clock clock) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(clock, "clock");
        return () -> {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            String secret = "whsec_" + HexFormat.of().formatHex(key);
            StripeVerifier stripe = StripeVerifier.builder().secret(secret).clock(clock).build();
            WebhookVerifier verifier = new WebhookVerifier() {
                @Override
                public String provider() {
                    return WEBHOOK_PROVIDER;
                }

                @Override
                public void verify(WebhookRequest request) {
                    stripe.verify(request);
                }
            };
            AtomicInteger effects = new AtomicInteger();
            // duplicate cache off: the second delivery must be answered by the store, which is what is checked
            WebhookPipeline pipeline = WebhookPipeline.builder().verifier(verifier, EventFormat.STRIPE)
                    .store(PostgresIdempotencyStore.create(dataSource, clock)).clock(clock)
                    .duplicateCache(0, Duration.ofMinutes(1))
                    .on(EVENT_TYPE, event -> effects.incrementAndGet()).build();
            String eventId = "evt_tollgate_preflight_" + UUID.randomUUID().toString().replace("-", "");
            WebhookRequest request = signedStripeEvent(secret, eventId, clock);
            try {
                WebhookResult first = pipeline.handle(WEBHOOK_PROVIDER, request);
                WebhookResult second = pipeline.handle(WEBHOOK_PROVIDER, request);
                long rows = countRows(dataSource, eventId);
                List<String> problems = new ArrayList<>();
                if (!"processed".equals(first.status())) {
                    problems.add("first delivery answered " + first.httpStatus() + " " + first.toJson());
                }
                if (!"already_processed".equals(second.reason())) {
                    problems.add("second delivery answered " + second.httpStatus() + " " + second.toJson()
                            + " instead of skipped/already_processed");
                }
                if (rows != 1) {
                    problems.add(rows + " processed rows in webhooks.events instead of 1");
                }
                if (effects.get() != 1) {
                    problems.add("the handler ran " + effects.get() + " times instead of once");
                }
                return problems.isEmpty()
                        ? PreflightOutcome.pass("signed test event delivered twice: processed, then skipped"
                                + " (already_processed); 1 row in webhooks.events; handler ran once")
                        : PreflightOutcome.fail(String.join("; ", problems));
            } finally {
                execute(dataSource, "DELETE FROM webhooks.events WHERE provider = ? AND event_id = ?",
                        WEBHOOK_PROVIDER, eventId);
            }
        };
    }

    /**
     * Writes a synthetic tenant in status {@code past_due} to {@code billing.tenant_billing}, asks a
     * {@link BillingGate} reading through {@link PostgresBillingRepository} (enforcement {@code on}) about a write
     * and a read, and checks: the write is refused with 402 {@code subscription_required} and
     * {@code billing_status past_due}, the read is allowed. The tenant and its audit rows are deleted afterwards.
     *
     * @param dataSource the database with the billing schema
     * @param clock the gate's clock
     * @return the step
     */
    public static PreflightCheck gateBlocksPastDue(DataSource dataSource, Clock clock) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(clock, "clock");
        return () -> {
            String tenant = TENANT_PREFIX + UUID.randomUUID();
            try {
                try (Connection c = dataSource.getConnection()) {
                    c.setAutoCommit(false);
                    // scoped to the synthetic tenant: billing's row-level security (V3) admits the row under a
                    // non-owner role too
                    try (PreparedStatement cause = c.prepareStatement(
                            "SELECT set_config('tollgate.billing_cause', 'tollgate-preflight', true),"
                                    + " set_config('tollgate.tenant_id', ?, true)");
                         PreparedStatement insert = c.prepareStatement(
                                 "INSERT INTO billing.tenant_billing (tenant_id, status) VALUES (?, 'past_due')")) {
                        cause.setString(1, tenant);
                        cause.execute();
                        insert.setString(1, tenant);
                        insert.executeUpdate();
                        c.commit();
                    } catch (SQLException | RuntimeException e) {
                        c.rollback();
                        throw e;
                    } finally {
                        c.setAutoCommit(true);
                    }
                }
                BillingGate gate = BillingGate.builder().repository(new PostgresBillingRepository(dataSource))
                        .clock(clock).enforcement(EnforcementMode.ON).build();
                BillingDecision write = gate.check(tenant, OperationClass.WRITE);
                BillingDecision read = gate.check(tenant, OperationClass.READ);
                List<String> problems = new ArrayList<>();
                if (write.allowed() || write.httpStatus() != 402) {
                    problems.add("a write of a past_due tenant answered " + write.httpStatus() + " instead of 402");
                }
                if (write.billingStatus() != BillingStatus.PAST_DUE) {
                    problems.add("the gate read status " + write.billingStatus() + " instead of past_due");
                }
                String body = write.jsonBody();
                if (body == null || !body.contains("\"subscription_required\"") || !body.contains("\"past_due\"")) {
                    problems.add("the 402 body is " + body);
                }
                if (!read.allowed()) {
                    problems.add("a read of a past_due tenant was refused with " + read.httpStatus());
                }
                return problems.isEmpty()
                        ? PreflightOutcome.pass("synthetic past_due tenant: write → 402 " + body + ", read allowed")
                        : PreflightOutcome.fail(String.join("; ", problems));
            } finally {
                deleteSyntheticTenant(dataSource, tenant);
            }
        };
    }

    private static WebhookRequest signedStripeEvent(String secret, String eventId, Clock clock)
            throws GeneralSecurityException {
        long t = clock.instant().getEpochSecond();
        String body = "{\"id\":\"" + eventId + "\",\"object\":\"event\",\"type\":\"" + EVENT_TYPE + "\",\"created\":"
                + t + ",\"livemode\":false,\"data\":{\"object\":{\"object\":\"tollgate_preflight\"}}}";
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String v1 = HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
        return WebhookRequest.of(Map.of(StripeVerifier.SIGNATURE_HEADER, "t=" + t + ",v1=" + v1),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static long countRows(DataSource dataSource, String eventId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM webhooks.events WHERE provider = ? AND event_id = ? AND state = 'processed'")) {
            s.setString(1, WEBHOOK_PROVIDER);
            s.setString(2, eventId);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Deletes the synthetic tenant's state and audit rows, in one transaction scoped to that tenant. */
    private static void deleteSyntheticTenant(DataSource dataSource, String tenant) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement scope = c.prepareStatement("SELECT set_config('tollgate.tenant_id', ?, true)");
                 PreparedStatement state = c.prepareStatement("DELETE FROM billing.tenant_billing WHERE tenant_id = ?");
                 PreparedStatement audit = c.prepareStatement("DELETE FROM billing.audit_log WHERE tenant_id = ?")) {
                scope.setString(1, tenant);
                scope.execute();
                state.setString(1, tenant);
                state.executeUpdate();
                audit.setString(1, tenant);
                audit.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static void execute(DataSource dataSource, String sql, String... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            s.executeUpdate();
        }
    }
}
