package dev.tollgate.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.consent.ConsentDecision;
import dev.tollgate.consent.ConsentPolicy;
import dev.tollgate.consent.ConsentService;
import dev.tollgate.consent.PostgresConsentRepository;
import dev.tollgate.consent.Purpose;
import dev.tollgate.legal.AcceptanceRequest;
import dev.tollgate.legal.DocumentKind;
import dev.tollgate.legal.LegalDocument;
import dev.tollgate.legal.LegalService;
import dev.tollgate.legal.PostgresLegalRepository;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code evidence} subcommand end to end on a real database: keygen, checkpoint, verify, tamper, export. */
class EvidenceCommandTest {

    private static final String CHAIN_KEY = "k1:demo-chain-key-0123456789abcdef0123456789";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        out.reset();
        err.reset();
        String[] all = new String[args.length + 1];
        all[0] = "evidence";
        System.arraycopy(args, 0, all, 1, args.length);
        return TollgateDemo.subcommand(all, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void checkpointsVerifiesNamesTheFirstBadRowAndExportsAProof() throws Exception {
        try (TestDatabase db = TestPostgres.shared().createDatabase().migrate()) {
            Map<String, String> env = new HashMap<>(Map.of("TOLLGATE_DATABASE_URL", db.jdbcUrl(),
                    "TOLLGATE_DATABASE_USER", db.user(), "TOLLGATE_DATABASE_PASSWORD", db.password(),
                    "TOLLGATE_CHAIN_KEY", CHAIN_KEY));
            var keys = EvidenceCommand.chainKeys(env);
            Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
            ConsentService consent = ConsentService.builder()
                    .repository(new PostgresConsentRepository(db.dataSource(), keys)).clock(Clock.systemUTC()).build();
            consent.publishPolicy(ConsentPolicy.builder().version("1.0").effectiveAt(t0)
                    .purpose(Purpose.necessary("necessary", "Sign-in")).purpose(Purpose.optional("analytics", "Stats"))
                    .shownText("banner").build());
            LegalService legal = LegalService.builder().repository(new PostgresLegalRepository(db.dataSource(), keys))
                    .clock(Clock.systemUTC()).build();
            legal.publish(LegalDocument.builder().kind(DocumentKind.TERMS).version("1.0").title("Terms")
                    .effectiveAt(t0).content("terms").requiresReacceptance(true).build());
            for (String subject : new String[] {"alice", "bob", "carol"}) {
                consent.record(ConsentDecision.builder().subjectId(subject).policyVersion("1.0").source("banner")
                        .acceptAll().build());
                legal.accept(AcceptanceRequest.builder().userId(subject).source("signup")
                        .document(DocumentKind.TERMS, "1.0").build());
            }

            assertEquals(0, run(env, "keygen", "--key-id", "cp1", "--out", dir.toString()), err.toString());
            Path checkpoints = dir.resolve("checkpoints");
            assertEquals(0, run(env, "checkpoint", "--checkpoints", checkpoints.toString(), "--signing-key",
                    dir.resolve("cp1.private.pem").toString(), "--key-id", "cp1"), err.toString());
            String publicKey = "cp1=" + dir.resolve("cp1.public.pem");
            assertEquals(0, run(env, "verify", "--checkpoints", checkpoints.toString(), "--public-key", publicKey),
                    out() + err);
            assertTrue(out().contains("consent: PASS 3 rows") && out().contains("legal: PASS 3 rows"), out());

            assertEquals(0, run(env, "export", "--stream", "consent", "--subject", "bob", "--checkpoints",
                    checkpoints.toString()), err.toString());
            JsonNode proof = new ObjectMapper().readTree(out());
            assertEquals("bob", proof.get("subject").asText());
            assertEquals(3, proof.get("checkpoint").get("seq").asLong());

            try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE legal.audit_log DISABLE TRIGGER USER");
                s.execute("UPDATE legal.audit_log SET subject_id = 'mallory' WHERE seq = 2");
                s.execute("ALTER TABLE legal.audit_log ENABLE TRIGGER USER");
            }
            assertEquals(1, run(env, "verify", "--checkpoints", checkpoints.toString(), "--public-key", publicKey));
            assertTrue(out().contains("consent: PASS") && out().contains("legal: FAIL row 2 does not match"), out());
            assertFalse((out() + err).contains("demo-chain-key"), "no chain key in the output");

            assertEquals(2, run(env, "verify", "--checkpoints"));
            assertEquals(2, run(env, "frobnicate"));
        }
    }
}
