package dev.tollgate.webhooks.internal.signature;

import dev.tollgate.webhooks.SignatureException;
import dev.tollgate.webhooks.SignatureException.Reason;
import java.time.Clock;

/**
 * The replay window of a verifier: a signed timestamp is accepted when it is at most
 * {@code tolerance} seconds older, or newer, than the clock's current second.
 *
 * @param clock the time source
 * @param toleranceSeconds the window half-width in seconds, positive
 */
public record TimestampWindow(Clock clock, long toleranceSeconds) {

    /**
     * Checks a signed timestamp.
     *
     * @param headerName the header carrying the timestamp, for the message
     * @param timestamp the signed timestamp in epoch seconds, positive
     * @throws SignatureException {@link Reason#TIMESTAMP_OUTSIDE_TOLERANCE} when outside the window
     */
    public void check(String headerName, long timestamp) {
        long now = Math.floorDiv(clock.millis(), 1000L);
        // timestamp > 0 and now >= 0 in any sane deployment; subtractExact guards the rest.
        long age;
        try {
            age = Math.subtractExact(now, timestamp);
        } catch (ArithmeticException e) {
            age = Long.MIN_VALUE + 1;
        }
        if (age > toleranceSeconds) {
            throw new SignatureException(Reason.TIMESTAMP_OUTSIDE_TOLERANCE, headerName + " timestamp is "
                    + ConfigurationProblems.grouped(age) + " s old (tolerance " + toleranceSeconds
                    + " s): check the server clock or the replayed request");
        }
        if (-age > toleranceSeconds) {
            throw new SignatureException(Reason.TIMESTAMP_OUTSIDE_TOLERANCE, headerName + " timestamp is "
                    + ConfigurationProblems.grouped(-age) + " s in the future (tolerance " + toleranceSeconds
                    + " s): check this server's clock (NTP) and the sender's");
        }
    }

    /** @return a short description */
    @Override
    public String toString() {
        return "±" + toleranceSeconds + " s";
    }
}
