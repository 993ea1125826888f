package dev.tollgate.legal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.Secret;
import dev.tollgate.integrity.IntegrityReport;
import dev.tollgate.migrations.SchemaMigrator;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The quick start of legal/README.md, as written there. */
@TollgatePostgres
class ReadmeQuickStartTest {

    @Test
    void quickStart(DataSource dataSource) {
        String userId = "readme-user";
        String text = "1. Scope\n\nThese terms apply to everything.";
        // --- README ---
        SchemaMigrator.forModules("legal").migrate(dataSource);
        LegalService legal = LegalService.builder()
                .repository(new PostgresLegalRepository(dataSource))
                .clock(Clock.systemUTC())
                .fingerprintKey(Secret.of("fp_readme_key_0123456789"))
                .build();
        legal.publish(LegalDocument.builder().kind(DocumentKind.TERMS).version("2.0").title("Terms of Service")
                .effectiveAt(Instant.parse("2025-12-01T00:00:00Z")).content(text).requiresReacceptance(true).build());

        List<PendingAcceptance> pending = legal.pendingAcceptances(userId);
        AcceptanceRequest.Builder request = AcceptanceRequest.builder().userId(userId).source("login");
        pending.forEach(p -> request.document(p.document()));
        legal.accept(request.build());

        String html = LegalPageRenderer.builder().siteName("Acme").build()
                .render(legal.currentDocument(DocumentKind.TERMS).orElseThrow(), legal.currentDocuments());

        String line = legal.checkpoint().export();
        IntegrityReport r = legal.verifyCheckpoint(AuditChainCheckpoint.parse(line));
        // --- end ---
        assertEquals(1, pending.size());
        assertEquals(List.of(), legal.pendingAcceptances(userId));
        assertTrue(html.contains("Version <span class=\"legal-version\">2.0</span>"), html);
        assertTrue(r.passed(), r.toString());
        assertTrue(legal.verifyIntegrity().passed());
    }
}
