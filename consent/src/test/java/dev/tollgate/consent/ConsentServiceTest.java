package dev.tollgate.consent;

import dev.tollgate.testkit.MutableClock;
import static dev.tollgate.consent.ConsentFixtures.T0;
import static dev.tollgate.consent.ConsentFixtures.policy;
import static dev.tollgate.consent.PostgresConsentRepositoryTest.assertReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.Secret;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Service rules on the in-memory repository (the PostgreSQL repository is held to them in PostgresConsentRepositoryTest). */
class ConsentServiceTest {

    private final MutableClock clock = MutableClock.at(T0);
    private final ConsentService consent = ConsentService.builder().repository(new InMemoryConsentRepository())
            .clock(clock).build();

    private ConsentRecord acceptAll(String subject, String version) {
        return consent.record(ConsentDecision.builder().subjectId(subject).policyVersion(version).acceptAll()
                .source("banner").build());
    }

    @Test
    void aMinorVersionDoesNotAskAgainButAMajorOneDoes() {
        assertFalse(consent.needsReconsent("s"), "nothing to consent to without a policy");
        consent.publishPolicy(policy("1.0", T0));
        assertTrue(consent.needsReconsent("s"), "first visit");
        acceptAll("s", "1.0");
        assertFalse(consent.needsReconsent("s"));

        consent.publishPolicy(policy("1.1", T0.plus(Duration.ofDays(1))));
        consent.publishPolicy(policy("2.0", T0.plus(Duration.ofDays(10))));
        clock.advance(Duration.ofDays(2));
        assertEquals("1.1", consent.currentPolicy().orElseThrow().version().toString());
        assertFalse(consent.needsReconsent("s"), "minor change");
        assertTrue(consent.isGranted("s", "marketing"));

        clock.advance(Duration.ofDays(10));
        assertTrue(consent.needsReconsent("s"), "major change");
        assertFalse(consent.isGranted("s", "marketing"), "consent under an old major version no longer counts");
        assertTrue(consent.isGranted("s", "necessary"));
        acceptAll("s", "2.0");
        assertFalse(consent.needsReconsent("s"));
        assertTrue(consent.isGranted("s", "marketing"));
    }

    @Test
    void changingTheMindIsFlaggedAsAWithdrawalAndTheLatestDecisionWins() {
        consent.publishPolicy(policy("1.0", T0));
        assertFalse(acceptAll("s", "1.0").withdrawal());
        ConsentRecord narrower = consent.record(ConsentDecision.builder().subjectId("s").policyVersion("1.0")
                .custom(Map.of("analytics", true, "marketing", false)).source("settings").build());
        assertTrue(narrower.withdrawal());
        assertEquals(narrower, consent.currentConsent("s").orElseThrow());
        assertEquals(2, consent.history("s").size());
        assertTrue(consent.verifyIntegrity().passed());
    }

    @Test
    void withoutAPolicyInEffectQueriesAndWithdrawalsSaySo() {
        assertReason(ConsentException.Reason.POLICY_NOT_IN_EFFECT, () -> consent.withdraw("s", "settings"));
        assertReason(ConsentException.Reason.POLICY_NOT_IN_EFFECT, () -> consent.isGranted("s", "analytics"));
        assertReason(ConsentException.Reason.INVALID_INPUT, () -> consent.withdraw("", "settings"));
    }

    @Test
    void policiesAreValidatedWhole() {
        ConsentException e = assertThrows(ConsentException.class, () -> ConsentPolicy.builder().build());
        assertTrue(e.getMessage().contains("version, effectiveAt, shownText or textSha256"), e.getMessage());
        ConsentException dup = assertThrows(ConsentException.class, () -> ConsentPolicy.builder().version("1.0")
                .effectiveAt(T0).purpose(Purpose.optional("a", "")).purpose(Purpose.optional("a", "")).textSha256("nope").build());
        assertTrue(dup.getMessage().contains("listed twice") && dup.getMessage().contains("64 lower-case hex"), dup.getMessage());
        assertReason(ConsentException.Reason.INVALID_INPUT, () -> PolicyVersion.parse("v2"));
        assertReason(ConsentException.Reason.INVALID_INPUT, () -> Purpose.optional("Bad Id", ""));
        assertReason(ConsentException.Reason.INVALID_INPUT, () -> Purpose.optional("ok", "nul\u0000inside"));
        assertReason(ConsentException.Reason.INVALID_INPUT, () -> ConsentPolicy.builder().version("1.0").effectiveAt(T0)
                .purpose(Purpose.optional("a", "")).shownText("nul\u0000inside").build());
        assertTrue(PolicyVersion.parse("2.0").isNewMajorOver(PolicyVersion.parse("1.9")));
        assertFalse(PolicyVersion.parse("1.9").isNewMajorOver(PolicyVersion.parse("1.0")));
        assertTrue(PolicyVersion.parse("1.10").compareTo(PolicyVersion.parse("1.9")) > 0);
    }

    @Test
    void configurationIsCheckedWholeAndTheKeyNeverPrinted() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ConsentService.builder().build());
        assertTrue(e.getMessage().contains("repository") && e.getMessage().contains("clock"), e.getMessage());
        ConsentService keyed = ConsentService.builder().repository(new InMemoryConsentRepository()).clock(clock)
                .fingerprintKey(Secret.of("fp_supersecretvalue123456")).build();
        assertFalse(keyed.toString().contains("supersecret"), keyed.toString());
        ConsentDecision d = ConsentDecision.builder().subjectId("alice@example.com").policyVersion("1.0").acceptAll()
                .source("banner").ipAddress("198.51.100.1").build();
        assertFalse(d.toString().contains("alice") || d.toString().contains("198.51"), d.toString());
    }
}
