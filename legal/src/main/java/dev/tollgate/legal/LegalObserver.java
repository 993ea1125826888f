package dev.tollgate.legal;

/**
 * Told every acceptance a {@link LegalService} records, for metrics; register one with
 * {@link LegalService.Builder#observer}. The method has an empty default, so implementations keep compiling
 * when methods are added. The health module's {@code MicrometerLegalObserver} is the usual implementation.
 *
 * <p>Only the document is passed (never the user id): calls are made on the caller's thread after the
 * acceptances and their audit rows are committed, once per accepted document, and must be quick. An observer
 * that throws is caught and logged: the caller still gets its acceptances.
 */
public interface LegalObserver {

    /** An observer that does nothing (the default). */
    LegalObserver NONE = new LegalObserver() {
    };

    /**
     * A document version was accepted.
     *
     * @param kind the document kind, such as {@link DocumentKind#TERMS}
     * @param version the accepted version
     */
    default void accepted(DocumentKind kind, String version) {
    }
}
