package dev.tollgate.examples;

import dev.tollgate.consent.ConsentException;
import dev.tollgate.consent.ConsentPolicy;
import dev.tollgate.consent.ConsentService;
import dev.tollgate.consent.Purpose;
import dev.tollgate.legal.DocumentKind;
import dev.tollgate.legal.LegalDocument;
import dev.tollgate.legal.LegalException;
import dev.tollgate.legal.LegalService;
import java.time.Instant;
import java.util.List;

/**
 * The sample legal documents and consent policy the demo publishes at start. Idempotent: a version that
 * is already published (by an earlier start or by another instance at the same moment) is left alone.
 */
final class DemoSeed {

    /** The version of every seeded document and of the consent policy. */
    static final String VERSION = "1.0";
    /** When the seeded versions take effect: long before any demo runs. */
    static final Instant EFFECTIVE_AT = Instant.parse("2025-01-01T00:00:00Z");

    static final String BANNER_TEXT = "We use cookies to sign you in (necessary), to count visits (analytics) "
            + "and, if you agree, to show you our offers elsewhere (marketing). You can change this at any time.";

    private DemoSeed() {
    }

    /** @return how many documents and policies this call published (0 when everything was there) */
    static int seed(LegalService legal, ConsentService consent) {
        int published = 0;
        for (LegalDocument document : documents()) {
            if (legal.document(document.kind(), document.version()).isEmpty()) {
                try {
                    legal.publish(document);
                    published++;
                } catch (LegalException e) {
                    if (e.reason() != LegalException.Reason.DUPLICATE_VERSION) {
                        throw e;
                    }
                }
            }
        }
        if (consent.policy(VERSION).isEmpty()) {
            try {
                consent.publishPolicy(policy());
                published++;
            } catch (ConsentException e) {
                if (e.reason() != ConsentException.Reason.DUPLICATE_VERSION) {
                    throw e;
                }
            }
        }
        return published;
    }

    static ConsentPolicy policy() {
        return ConsentPolicy.builder()
                .version(VERSION)
                .effectiveAt(EFFECTIVE_AT)
                .purpose(Purpose.necessary("necessary", "Sign-in, security and remembering this choice"))
                .purpose(Purpose.optional("analytics", "Counting visits to improve the service"))
                .purpose(Purpose.optional("marketing", "Showing our offers on other sites"))
                .shownText(BANNER_TEXT)
                .build();
    }

    static List<LegalDocument> documents() {
        return List.of(
                document(DocumentKind.TERMS, "Terms of Service", """
                        1. Scope. These terms apply to the Tollgate demo service.
                        2. Subscription. Paid features need an active subscription; writes are refused while a \
                        payment is overdue.
                        3. Termination. You may cancel at any time; prepaid time is never cut short.""", true),
                document(DocumentKind.PRIVACY, "Privacy Policy", """
                        We store your user id, your consent choices and your acceptance of these documents, to \
                        prove them (GDPR Art. 7(1)). IP addresses are never stored. Ask for an export at any time.""",
                        true),
                document(DocumentKind.IMPRINT, "Imprint", """
                        Tollgate Demo, Example Street 1, 12345 Example City. Contact: demo@example.invalid""",
                        false));
    }

    private static LegalDocument document(DocumentKind kind, String title, String content, boolean reaccept) {
        return LegalDocument.builder()
                .kind(kind)
                .version(VERSION)
                .title(title)
                .language("en")
                .effectiveAt(EFFECTIVE_AT)
                .content(content)
                .requiresReacceptance(reaccept)
                .build();
    }
}
