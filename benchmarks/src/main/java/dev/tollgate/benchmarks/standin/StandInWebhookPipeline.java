package dev.tollgate.benchmarks.standin;

import java.util.Objects;

/**
 * Stand-in for Tollgate's webhook pipeline: verify → parse → claim → no-op handler → complete, or, for a
 * duplicate, verify → parse → claim (refused) → skip. To be replaced by Tollgate's pipeline once merged.
 */
public final class StandInWebhookPipeline {

    private static final Runnable NO_OP = () -> { };

    private final StandInStripeVerifier verifier;
    private final StandInEventParser parser;
    private final StandInEventStore store;

    /**
     * @param verifier checks the signature
     * @param parser reads the event
     * @param store claims and completes the event
     */
    public StandInWebhookPipeline(StandInStripeVerifier verifier, StandInEventParser parser,
                                  StandInEventStore store) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.parser = Objects.requireNonNull(parser, "parser");
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Handles one Stripe delivery with a no-op handler.
     *
     * @param payload the exact body
     * @param signatureHeader the {@code Stripe-Signature} header
     * @return what happened to the event
     * @throws IllegalArgumentException if the signature is invalid or the body malformed
     */
    public ClaimOutcome handle(String payload, String signatureHeader) {
        if (!verifier.verify(payload, signatureHeader)) {
            throw new IllegalArgumentException("invalid Stripe-Signature");
        }
        StandInEvent event = parser.parse(payload);
        return store.claimAndComplete("stripe", event.id(), event.type(), payload, NO_OP);
    }
}
