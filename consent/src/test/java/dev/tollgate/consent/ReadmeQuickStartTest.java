package dev.tollgate.consent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.Secret;
import dev.tollgate.migrations.SchemaMigrator;
import dev.tollgate.testkit.postgres.TollgatePostgres;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The quick start of consent/README.md, as written there. */
@TollgatePostgres
class ReadmeQuickStartTest {

    @Test
    void quickStart(DataSource dataSource) {
        String subjectId = "readme-visitor";
        String bannerText = "We use cookies for sign-in and, if you agree, statistics.";
        boolean bannerShown = false;
        // --- README ---
        SchemaMigrator.forModules("consent").migrate(dataSource);
        ConsentService consent = ConsentService.builder()
                .repository(new PostgresConsentRepository(dataSource))
                .clock(Clock.systemUTC())
                .fingerprintKey(Secret.of("fp_readme_key_0123456789"))
                .build();
        consent.publishPolicy(ConsentPolicy.builder().version("2.0").effectiveAt(Instant.parse("2025-12-01T00:00:00Z"))
                .purpose(Purpose.necessary("necessary", "Sign-in and security"))
                .purpose(Purpose.optional("analytics", "Usage statistics"))
                .shownText(bannerText).build());

        if (consent.needsReconsent(subjectId)) {
            bannerShown = true;
        }
        consent.record(ConsentDecision.builder().subjectId(subjectId).policyVersion("2.0")
                .custom(Map.of("analytics", true)).source("banner").build());
        boolean granted = consent.isGranted(subjectId, "analytics");
        consent.withdraw(subjectId, "analytics", "settings");
        String json = consent.exportJson(subjectId);
        // --- end ---
        assertTrue(bannerShown);
        assertTrue(granted);
        assertFalse(consent.isGranted(subjectId, "analytics"));
        assertFalse(consent.needsReconsent(subjectId));
        assertTrue(json.contains("\"withdrawal\" : true"), json);
        assertTrue(consent.verifyIntegrity().passed());
    }
}
