package dev.tollgate.consent;

/**
 * Told every consent record a {@link ConsentService} appends, for metrics; register one with
 * {@link ConsentService.Builder#observer}. The method has an empty default, so implementations keep compiling
 * when methods are added. The health module's {@code MicrometerConsentObserver} is the usual implementation.
 *
 * <p>Only low-cardinality facts are passed (never the subject id): calls are made on the caller's thread after
 * the record is stored and must be quick. An observer that throws is caught and logged: the caller still gets
 * its record.
 */
public interface ConsentObserver {

    /** An observer that does nothing (the default). */
    ConsentObserver NONE = new ConsentObserver() {
    };

    /**
     * A consent record was appended.
     *
     * @param choice the choice recorded
     * @param withdrawal whether the record withdraws a purpose the previous decision granted
     */
    default void recorded(ConsentChoice choice, boolean withdrawal) {
    }
}
