package dev.tollgate.legal;

import dev.tollgate.testkit.MutableClock;
import static dev.tollgate.legal.LegalFixtures.T0;
import static dev.tollgate.legal.LegalFixtures.doc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The service tells its observer each accepted document (kind and version only); a throwing one changes nothing. */
class LegalObserverTest {

    private final MutableClock clock = MutableClock.at(T0);

    private LegalService service(LegalObserver observer) {
        LegalService legal = LegalService.builder().repository(new InMemoryLegalRepository()).clock(clock)
                .observer(observer).build();
        legal.publish(doc(DocumentKind.TERMS, "1.0", T0, true));
        legal.publish(doc(DocumentKind.PRIVACY, "1.0", T0, true));
        return legal;
    }

    @Test
    void eachAcceptedDocumentIsObservedOnceAndRefusedOnesNever() {
        List<String> seen = new CopyOnWriteArrayList<>();
        LegalService legal = service(new LegalObserver() {
            @Override
            public void accepted(DocumentKind kind, String version) {
                seen.add(kind.name() + " " + version);
            }
        });
        legal.accept(AcceptanceRequest.builder().userId("u").source("signup").document(DocumentKind.TERMS, "1.0")
                .document(DocumentKind.PRIVACY, "1.0").build());
        assertThrows(LegalException.class, () -> legal.accept(AcceptanceRequest.builder().userId("u").source("signup")
                .document(DocumentKind.TERMS, "9.9").build()));
        assertEquals(List.of("terms 1.0", "privacy 1.0"), seen);
    }

    @Test
    void anObserverThatThrowsChangesNothing() {
        LegalService legal = service(new LegalObserver() {
            @Override
            public void accepted(DocumentKind kind, String version) {
                throw new IllegalStateException("observer bug");
            }
        });
        List<Acceptance> stored = legal.accept(AcceptanceRequest.builder().userId("u").source("signup")
                .document(DocumentKind.TERMS, "1.0").build());
        assertEquals(stored, legal.acceptances("u"));
    }
}
