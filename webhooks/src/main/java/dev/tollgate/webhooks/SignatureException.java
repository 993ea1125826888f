package dev.tollgate.webhooks;

import dev.tollgate.TollgateException;
import java.util.Objects;

/**
 * A webhook delivery was refused by a {@link WebhookVerifier}. The {@link #reason()} is machine-readable
 * and maps to an HTTP status ({@link Reason#httpStatus()}); the message explains it for a human and
 * never contains a secret or a full signature.
 */
public final class SignatureException extends TollgateException {

    private static final long serialVersionUID = 1L;

    /** Why a delivery was refused. */
    public enum Reason {
        /** The signature or authorization header is absent. */
        MISSING_HEADER(400),
        /** The header is present but cannot be parsed. */
        MALFORMED_HEADER(400),
        /** The header carries no signature of a scheme this verifier checks (Stripe: no {@code v1}). */
        NO_SIGNATURE(400),
        /**
         * The header carries more signatures than any sender needs (Stripe: more than
         * {@code StripeVerifier.MAX_V1_SIGNATURES} {@code v1} entries); refused before any is compared.
         */
        TOO_MANY_SIGNATURES(400),
        /** The signed timestamp is older, or further in the future, than the tolerance allows. */
        TIMESTAMP_OUTSIDE_TOLERANCE(400),
        /** No signature matches any configured secret. */
        SIGNATURE_MISMATCH(400),
        /** The body is larger than the verifier's limit; it was not hashed. */
        BODY_TOO_LARGE(413),
        /** A bearer-style {@code Authorization} header is absent (RevenueCat). */
        MISSING_AUTHORIZATION(401),
        /** A bearer-style {@code Authorization} header does not match (RevenueCat). */
        AUTHORIZATION_MISMATCH(401);

        private final int httpStatus;

        Reason(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        /** @return the HTTP status a webhook endpoint answers with for this reason */
        public int httpStatus() {
            return httpStatus;
        }

        /** @return the reason as a lower-case code for JSON bodies, such as {@code signature_mismatch} */
        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Why the delivery was refused. */
    private final Reason reason;

    /**
     * Creates a refusal.
     *
     * @param reason the machine-readable reason
     * @param message a human explanation without secrets or full signatures
     */
    public SignatureException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** @return why the delivery was refused */
    public Reason reason() {
        return reason;
    }
}
