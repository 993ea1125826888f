package dev.tollgate.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class IntegrityReportTest {

    @Test
    void passesWithWarningsButNotWithAFailure() {
        IntegrityReport ok = new IntegrityReport(List.of(IntegrityCheck.pass("a", "fine"), IntegrityCheck.warn("b", "hm")));
        assertTrue(ok.passed());
        assertEquals(List.of("b"), ok.warnings().stream().map(IntegrityCheck::name).toList());

        IntegrityReport broken = new IntegrityReport(List.of(IntegrityCheck.pass("a", ""), IntegrityCheck.fail("c", "row 3")));
        assertFalse(broken.passed());
        assertEquals("row 3", broken.failures().get(0).detail());
        assertEquals(IntegrityCheck.Status.FAIL, broken.check("c").status());
        assertThrows(IllegalArgumentException.class, () -> broken.check("zzz"));
    }

    @Test
    void anEmptyReportHasNotPassed() {
        assertFalse(new IntegrityReport(List.of()).passed());
    }

    @Test
    void statusParsingIsStrict() {
        assertEquals(IntegrityCheck.Status.WARN, IntegrityCheck.Status.parse(" warn "));
        assertThrows(IllegalArgumentException.class, () -> IntegrityCheck.Status.parse("OK"));
        assertThrows(IllegalArgumentException.class, () -> IntegrityCheck.pass(" ", "x"));
    }

    @Test
    void functionNamesThatCouldCarrySqlAreRefused() {
        javax.sql.DataSource none = new org.postgresql.ds.PGSimpleDataSource();
        assertThrows(IllegalArgumentException.class, () -> SqlIntegrityVerifier.of(none, "verify()"));
        assertThrows(IllegalArgumentException.class, () -> SqlIntegrityVerifier.of(none, "x.y(); DROP TABLE t; --"));
        assertThrows(IllegalArgumentException.class, () -> SqlIntegrityVerifier.of(none, "no_schema"));
        assertEquals("consent.verify_consent_schema",
                SqlIntegrityVerifier.of(none, "consent.verify_consent_schema").function());
    }
}
