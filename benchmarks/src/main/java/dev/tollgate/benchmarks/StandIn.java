package dev.tollgate.benchmarks;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a benchmark method whose body measures a stand-in instead of Tollgate's own code, because that
 * code was not merged when the harness was written. The results report reads this annotation and flags
 * the benchmark, and every ratio computed from it, as {@code "stand_in": true}. Remove the annotation
 * when the body calls Tollgate.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface StandIn {

    /**
     * What replaces the stand-in, for example {@code "StripeVerifier.verify(payload, header)"}.
     *
     * @return the Tollgate call that the benchmark should make once merged
     */
    String value();
}
