package dev.tollgate.consent;

import dev.tollgate.testkit.MutableClock;
import static dev.tollgate.consent.ConsentFixtures.T0;
import static dev.tollgate.consent.ConsentFixtures.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The service tells its observer every appended record (choice and withdrawal only), and a throwing one changes nothing. */
class ConsentObserverTest {

    private final MutableClock clock = MutableClock.at(T0);

    /** An observer adding one line per record to a list. */
    private static ConsentObserver recordingTo(List<String> seen) {
        return new ConsentObserver() {
            @Override
            public void recorded(ConsentChoice choice, boolean withdrawal) {
                seen.add(choice.code() + " " + withdrawal);
            }
        };
    }

    private ConsentService service(ConsentObserver observer) {
        ConsentService service = ConsentService.builder().repository(new InMemoryConsentRepository()).clock(clock)
                .observer(observer).build();
        service.publishPolicy(policy("1.0", T0));
        return service;
    }

    @Test
    void grantsAndWithdrawalsAreObserved() {
        List<String> seen = new CopyOnWriteArrayList<>();
        ConsentService consent = service(recordingTo(seen));
        consent.record(ConsentDecision.builder().subjectId("s").policyVersion("1.0").acceptAll().source("banner").build());
        consent.withdraw("s", "settings");
        consent.record(ConsentDecision.builder().subjectId("s").policyVersion("1.0").onlyNecessary().source("banner")
                .build());
        assertEquals(List.of("accept_all false", "only_necessary true", "only_necessary false"), seen);
    }

    @Test
    void aRefusedDecisionIsNotObserved() {
        List<String> seen = new CopyOnWriteArrayList<>();
        ConsentService consent = service(recordingTo(seen));
        org.junit.jupiter.api.Assertions.assertThrows(ConsentException.class, () -> consent.record(
                ConsentDecision.builder().subjectId("s").policyVersion("9.9").acceptAll().source("banner").build()));
        assertEquals(List.of(), seen);
    }

    @Test
    void anObserverThatThrowsChangesNothing() {
        ConsentService consent = service(new ConsentObserver() {
            @Override
            public void recorded(ConsentChoice choice, boolean withdrawal) {
                throw new IllegalStateException("observer bug");
            }
        });
        ConsentRecord stored = consent.record(ConsentDecision.builder().subjectId("s").policyVersion("1.0").acceptAll()
                .source("banner").build());
        assertEquals(stored, consent.currentConsent("s").orElseThrow());
        assertEquals(ConsentChoice.ONLY_NECESSARY, consent.withdraw("s", "settings").choice());
    }
}
