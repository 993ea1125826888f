package dev.tollgate.billing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPgBouncer;
import dev.tollgate.testkit.postgres.TestPostgres;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

@TollgatePostgres
class BillingGatePostgresTest {

    private static final OperationClass EXPORT = OperationClass.of("export");

    static void setStatus(DataSource ds, String tenant, String status) throws SQLException {
        try (Connection c = ds.getConnection();
             PreparedStatement s = c.prepareStatement("INSERT INTO billing.tenant_billing (tenant_id, status)"
                     + " VALUES (?, ?) ON CONFLICT (tenant_id) DO UPDATE SET status = EXCLUDED.status")) {
            s.setString(1, tenant);
            s.setString(2, status);
            s.executeUpdate();
        }
    }

    /** Waits for a condition by polling, at most {@code max}; fails the test if it never holds. */
    static void await(String what, Duration max, BooleanSupplier condition) {
        Awaitility.await(what).atMost(max).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
    }

    @Test
    void everyStatusTimesEveryOperationTimesEveryEnforcementMode(DataSource ds) throws SQLException {
        PostgresBillingRepository repo = new PostgresBillingRepository(ds);
        List<OperationClass> operations = List.of(OperationClass.READ, OperationClass.WRITE, OperationClass.PURCHASE,
                EXPORT);
        int checks = 0;
        for (BillingStatus status : BillingStatus.values()) {
            String tenant = "matrix-" + status.wireName();
            if (status != BillingStatus.NONE) {
                setStatus(ds, tenant, status.wireName()); // none = no row at all
            }
            for (EnforcementMode mode : EnforcementMode.values()) {
                BillingGate gate = BillingGate.builder().repository(repo).enforcement(mode).build();
                for (OperationClass op : operations) {
                    boolean paying = status == BillingStatus.ACTIVE || status == BillingStatus.TRIALING;
                    boolean policyAllows = paying || op == OperationClass.READ || op == OperationClass.PURCHASE;
                    BillingDecision d = gate.check(tenant, op);
                    String where = status + " × " + op + " × " + mode;
                    switch (mode) {
                        case ON -> {
                            assertEquals(policyAllows, d.allowed(), where);
                            assertEquals(policyAllows ? 200 : 402, d.httpStatus(), where);
                            if (!policyAllows) {
                                assertEquals("{\"error\":\"subscription_required\",\"message\":\""
                                        + GatingPolicy.defaults().message(status) + "\",\"billing_status\":\""
                                        + status.wireName() + "\"}", DenialResponse.json(d).body(), where);
                            }
                        }
                        case OFF -> {
                            assertTrue(d.allowed(), where);
                            assertEquals(BillingDecision.Reason.ENFORCEMENT_OFF, d.reason(), where);
                        }
                        case REPORT_ONLY -> {
                            assertTrue(d.allowed(), where);
                            assertEquals(!policyAllows, d.wouldDeny(), where);
                        }
                    }
                    checks++;
                }
            }
        }
        assertEquals(108, checks);
    }

    @Test
    void runbookSqlUpdatesReachTwoGatesOnTwoPools(TestDatabase db) throws Exception {
        DataSource poolA = db.newPool(3);
        DataSource poolB = db.newPool(3);
        // A TTL of an hour: only the notification can explain the gates seeing the change.
        BillingGate gateA = BillingGate.builder().repository(new PostgresBillingRepository(poolA))
                .cacheTtl(Duration.ofHours(1)).build();
        BillingGate gateB = BillingGate.builder().repository(new PostgresBillingRepository(poolB))
                .cacheTtl(Duration.ofHours(1)).build();
        try (PostgresBillingListener listenerA = PostgresBillingListener.builder(poolA).gate(gateA).build().start();
             PostgresBillingListener listenerB = PostgresBillingListener.builder(poolB).gate(gateB).build().start()) {
            await("both listening", Duration.ofSeconds(20),
                    () -> gateA.status().listening() && gateB.status().listening());
            setStatus(db.dataSource(), "runbook", "active");
            await("both gates allow", Duration.ofSeconds(10), () -> gateA.check("runbook", OperationClass.WRITE).allowed()
                    && gateB.check("runbook", OperationClass.WRITE).allowed());

            setStatus(db.dataSource(), "runbook", "past_due");
            await("both gates deny", Duration.ofSeconds(10), () -> !gateA.check("runbook", OperationClass.WRITE).allowed()
                    && !gateB.check("runbook", OperationClass.WRITE).allowed());
            assertEquals("{\"error\":\"subscription_required\",\"message\":\"Payment overdue. Please update your"
                    + " payment method.\",\"billing_status\":\"past_due\"}",
                    gateB.check("runbook", OperationClass.WRITE).jsonBody());

            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE billing.tenant_billing SET status='active' WHERE tenant_id='runbook'");
            }
            await("both gates allow again", Duration.ofSeconds(10),
                    () -> gateA.check("runbook", OperationClass.WRITE).allowed()
                            && gateB.check("runbook", OperationClass.WRITE).allowed());
            assertEquals(ListenerStatus.State.LISTENING, listenerA.status().state());
        }
        List<AuditEntry> audit = new PostgresBillingRepository(db.dataSource()).auditLog("runbook");
        assertEquals(List.of(BillingStatus.ACTIVE, BillingStatus.PAST_DUE, BillingStatus.ACTIVE),
                audit.stream().map(AuditEntry::toStatus).toList());
        assertTrue(audit.stream().allMatch(a -> a.causeEventId().startsWith("sql:")), audit.toString());
    }

    @Test
    @org.junit.jupiter.api.DisplayName("the runbooks' emergency reset, an UPDATE of every tenant without WHERE, reaches "
            + "every cached decision and audits every row")
    void emergencyBulkResetReachesEveryCachedDecision() throws Exception {
        try (TestDatabase own = dev.tollgate.testkit.postgres.TestPostgres.shared().createDatabase().migrate()) {
            DataSource pool = own.newPool(3);
            BillingGate gate = BillingGate.builder().repository(new PostgresBillingRepository(pool))
                    .cacheTtl(Duration.ofHours(1)).build();
            try (PostgresBillingListener listener = PostgresBillingListener.builder(pool).gate(gate).build().start()) {
                await("listening", Duration.ofSeconds(20), () -> gate.status().listening());
                for (String tenant : List.of("bulk_a", "bulk_b", "bulk_c")) {
                    setStatus(own.dataSource(), tenant, "past_due");
                }
                await("all denied and cached", Duration.ofSeconds(10), () -> List.of("bulk_a", "bulk_b", "bulk_c")
                        .stream().noneMatch(t -> gate.check(t, OperationClass.WRITE).allowed()));

                try (Connection c = own.dataSource().getConnection(); Statement s = c.createStatement()) {
                    assertEquals(3, s.executeUpdate("UPDATE billing.tenant_billing SET status = 'active'"));
                }
                await("every gate decision allows", Duration.ofSeconds(10), () -> List.of("bulk_a", "bulk_b", "bulk_c")
                        .stream().allMatch(t -> gate.check(t, OperationClass.WRITE).allowed()));
            }
            PostgresBillingRepository repository = new PostgresBillingRepository(own.dataSource());
            for (String tenant : List.of("bulk_a", "bulk_b", "bulk_c")) {
                assertEquals(List.of(BillingStatus.PAST_DUE, BillingStatus.ACTIVE),
                        repository.auditLog(tenant).stream().map(AuditEntry::toStatus).toList(), tenant);
            }
        }
    }

    @Test
    void hugeTenantIdInvalidatesEverything(TestDatabase db) throws Exception {
        DataSource pool = db.newPool(3);
        BillingGate gate = BillingGate.builder().repository(new PostgresBillingRepository(pool))
                .cacheTtl(Duration.ofHours(1)).build();
        setStatus(db.dataSource(), "small", "past_due");
        try (PostgresBillingListener listener = PostgresBillingListener.builder(pool).gate(gate).build().start()) {
            await("listening", Duration.ofSeconds(20), () -> gate.status().listening());
            assertFalse(gate.check("small", OperationClass.WRITE).allowed());
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                // the trigger of a plain UPDATE of the huge tenant announces '*', and the small tenant changes quietly
                s.execute("ALTER TABLE billing.tenant_billing DISABLE TRIGGER tenant_billing_after_write");
                s.executeUpdate("UPDATE billing.tenant_billing SET status='active' WHERE tenant_id='small'");
                s.execute("ALTER TABLE billing.tenant_billing ENABLE TRIGGER tenant_billing_after_write");
            }
            assertFalse(gate.check("small", OperationClass.WRITE).allowed(), "no notification yet: cached");
            setStatus(db.dataSource(), "h".repeat(8_000), "active");
            await("everything invalidated", Duration.ofSeconds(10),
                    () -> gate.check("small", OperationClass.WRITE).allowed());
        }
    }

    @Test
    void behindARealPgBouncerTheGateWorksAndTheListenerFallsBackToTtlAndSaysSo(TestDatabase db) throws Exception {
        try (TestPgBouncer bouncer = TestPgBouncer.transactionMode(db)) {
            DataSource pooled = bouncer.newPool(3); // LISTEN is accepted but never delivers in transaction mode
            MutableClock clock = new MutableClock(Instant.parse("2026-11-23T12:00:00Z"));
            BillingGate gate = BillingGate.builder().repository(new PostgresBillingRepository(pooled)).clock(clock)
                    .cacheTtl(Duration.ofSeconds(5)).build();
            try (PostgresBillingListener listener = PostgresBillingListener.builder(pooled).gate(gate)
                    .probeTimeout(Duration.ofMillis(300)).build().start()) {
                await("fallback detected", Duration.ofSeconds(20),
                        () -> listener.status().state() == ListenerStatus.State.TTL_ONLY);
                assertFalse(gate.status().listening());
                assertTrue(gate.status().invalidation().detail().contains("PgBouncer"), gate.status().toString());

                setStatus(pooled, "pgb", "past_due");
                assertFalse(gate.check("pgb", OperationClass.WRITE).allowed());
                setStatus(pooled, "pgb", "active");
                assertFalse(gate.check("pgb", OperationClass.WRITE).allowed(), "no notification: still cached");
                clock.advance(Duration.ofSeconds(5));
                assertTrue(gate.check("pgb", OperationClass.WRITE).allowed(), "seen within the TTL");
                for (int i = 0; i < 50; i++) { // beyond pgjdbc's prepareThreshold: no named statement breaks
                    clock.advance(Duration.ofSeconds(5));
                    assertTrue(gate.check("pgb", OperationClass.WRITE).allowed());
                }
            }
            assertFalse(bouncer.log().contains("prepared statement"), bouncer.log());
        }
        BillingGate told = BillingGate.builder().repository(new PostgresBillingRepository(db.dataSource())).build();
        try (PostgresBillingListener listener = PostgresBillingListener.builder(db.dataSource()).gate(told)
                .transactionPooling(true).build().start()) {
            assertEquals(ListenerStatus.State.TTL_ONLY, told.status().invalidation().state());
        }
    }

    @Test
    void listenerReconnectsAfterTheDatabaseRestarts() throws Exception {
        try (TestPostgres server = TestPostgres.startEmbedded(); TestDatabase db = server.createDatabase().migrate()) {
            DataSource pool = db.newPool(3);
            BillingGate gate = BillingGate.builder().repository(new PostgresBillingRepository(pool))
                    .cacheTtl(Duration.ofHours(1)).build();
            try (PostgresBillingListener listener = PostgresBillingListener.builder(pool).gate(gate)
                    .reconnectDelay(Duration.ofMillis(100)).build().start()) {
                await("listening", Duration.ofSeconds(20), () -> gate.status().listening());
                server.stop();
                await("connection loss noticed", Duration.ofSeconds(20),
                        () -> listener.status().state() == ListenerStatus.State.CONNECTING);
                server.start();
                await("listening again", Duration.ofSeconds(60), () -> gate.status().listening());
                DataSource operator = db.newPool(1); // fresh connections: the old pool's died with the server
                setStatus(operator, "restart", "past_due");
                await("past_due seen", Duration.ofSeconds(10), () -> !gate.check("restart", OperationClass.WRITE).allowed());
                setStatus(operator, "restart", "active");
                await("change seen after reconnect", Duration.ofSeconds(10),
                        () -> gate.check("restart", OperationClass.WRITE).allowed());
            }
        }
    }

    @Test
    void freshDatabaseVerifierAllPassAndSqlUpdatesAreAudited() throws Exception {
        try (TestDatabase db = TestPostgres.shared().createDatabase().migrate()) {
            PostgresBillingRepository repo = new PostgresBillingRepository(db.dataSource());
            List<SchemaCheck> checks = repo.verifySchema();
            assertEquals(6, checks.size());
            assertTrue(checks.stream().allMatch(SchemaCheck::passed), checks.toString());
            setStatus(db.dataSource(), "op", "active");
            Instant before;
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT status_since FROM billing.tenant_billing WHERE tenant_id='op'")) {
                rs.next();
                before = rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
            }
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE billing.tenant_billing SET status='past_due' WHERE tenant_id='op'");
            }
            TenantBilling state = repo.find("op").orElseThrow();
            assertEquals(BillingStatus.PAST_DUE, state.status());
            assertFalse(state.statusSince().isBefore(before), "an operator's status change restarts the ladder clock");
            assertEquals(2, repo.auditLog("op").size());
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE billing.tenant_billing DISABLE TRIGGER tenant_billing_after_write");
            }
            assertTrue(repo.verifySchema().stream().anyMatch(ch -> ch.checkName().equals("audit_and_notify_triggers")
                    && ch.status().equals("FAIL")), "a disabled trigger is caught");
            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                assertThrowsSql(() -> s.executeUpdate(
                        "UPDATE billing.tenant_billing SET status='bogus' WHERE tenant_id='op'"));
            }
        }
    }

    private interface SqlAction {
        void run() throws SQLException;
    }

    private static void assertThrowsSql(SqlAction action) {
        try {
            action.run();
        } catch (SQLException expected) {
            return;
        }
        throw new AssertionError("expected the database to refuse it");
    }
}
