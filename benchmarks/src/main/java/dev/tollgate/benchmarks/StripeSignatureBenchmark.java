package dev.tollgate.benchmarks;

import com.stripe.exception.SignatureVerificationException;
import com.stripe.model.Event;
import com.stripe.net.Webhook;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookResult;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Stripe webhook signature verification of one 2 KB {@code customer.subscription.updated} event
 * ({@link StripeEventFixture}), time per operation, one thread:
 * <ul>
 *   <li>{@code raw_hmac} ({@link #rawHmac}): the raw limit, a bare {@link Mac} (reused per thread) over
 *       {@code "{t}.{payload}"} already in bytes, hex encoding and a constant-time compare with the expected
 *       signature; no header parsing, no timestamp check;</li>
 *   <li>{@code stripe_java_verify} ({@link #stripeJavaVerify}): stripe-java's
 *       {@code Webhook.Signature.verifyHeader(payload, header, secret, 300)};</li>
 *   <li>{@code stripe_java_construct} ({@link #stripeJavaConstruct}): stripe-java's
 *       {@code Webhook.constructEvent(payload, header, secret)}, verify + typed event;</li>
 *   <li>{@code tollgate_verify} ({@link #tollgateVerify}): Tollgate's {@link StripeVerifier} on the body
 *       bytes;</li>
 *   <li>{@code tollgate_verify_parse} ({@link #tollgateVerifyParse}): Tollgate's pipeline up to and including
 *       the parse of the event (request built from the body bytes, verify, parse; no claim).</li>
 * </ul>
 * The header is signed afresh before every iteration so that the 300 s tolerance always holds. The
 * trial set-up checks that every path accepts the signature, so that no benchmark measures a rejection.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class StripeSignatureBenchmark {

    private static final long TOLERANCE_SECONDS = 300;

    private String payload = "";
    private byte[] payloadBytes = new byte[0];
    private String header = "";
    private byte[] signedPrefix = new byte[0];
    private byte[] expectedHex = new byte[0];
    private final StripeVerifier verifier = BenchmarkPipelines.stripeVerifier();
    private final WebhookPipeline verifyAndParse = BenchmarkPipelines.verifyAndParseOnly();

    /** The per-thread state of the raw reference: its {@link Mac} and hex buffer. */
    @State(Scope.Thread)
    public static class RawMac {
        private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        private final Mac mac;
        private final byte[] hex = new byte[64];

        /** Creates the thread's {@link Mac}, keyed once. */
        public RawMac() {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(StripeEventFixture.SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        boolean verify(byte[] prefix, byte[] body, byte[] expected) {
            mac.update(prefix);
            byte[] digest = mac.doFinal(body);
            for (int i = 0; i < digest.length; i++) {
                hex[2 * i] = HEX[(digest[i] >> 4) & 0xf];
                hex[2 * i + 1] = HEX[digest[i] & 0xf];
            }
            return MessageDigest.isEqual(hex, expected);
        }
    }

    /**
     * Builds the payload and checks that every measured path accepts it.
     *
     * @throws Exception if a path rejects the fixture
     */
    @Setup(Level.Trial)
    public void checkEveryPathAccepts() throws Exception {
        payload = StripeEventFixture.subscriptionUpdated("evt_1QbXyZ2eZvKYlo2CbenchOne");
        payloadBytes = payload.getBytes(StandardCharsets.UTF_8);
        sign();
        WebhookResult parsed = BenchmarkPipelines.require(tollgateVerifyParse(), "skipped", "unhandled_type");
        if (!rawHmac(new RawMac()) || !stripeJavaVerify() || !tollgateVerify()
                || !stripeJavaConstruct().getId().equals(parsed.eventId())) {
            throw new IllegalStateException("a verification path rejects the fixture: the benchmark would measure "
                    + "the rejection, not the verification");
        }
    }

    /** Signs the payload with the current time. */
    @Setup(Level.Iteration)
    public void sign() {
        long now = System.currentTimeMillis() / 1000;
        header = StripeEventFixture.signatureHeader(payload, now, StripeEventFixture.SECRET);
        signedPrefix = (now + ".").getBytes(StandardCharsets.US_ASCII);
        expectedHex = header.substring(header.indexOf("v1=") + 3).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * raw_hmac: the raw limit.
     *
     * @param raw the thread's Mac
     * @return whether the signature matched
     */
    @Benchmark
    public boolean rawHmac(RawMac raw) {
        return raw.verify(signedPrefix, payloadBytes, expectedHex);
    }

    /**
     * stripe_java_verify.
     *
     * @return true (stripe-java throws on a bad signature)
     * @throws SignatureVerificationException never for the fixture
     */
    @Benchmark
    public boolean stripeJavaVerify() throws SignatureVerificationException {
        return Webhook.Signature.verifyHeader(payload, header, StripeEventFixture.SECRET, TOLERANCE_SECONDS);
    }

    /**
     * stripe_java_construct.
     *
     * @return the typed event
     * @throws SignatureVerificationException never for the fixture
     */
    @Benchmark
    public Event stripeJavaConstruct() throws SignatureVerificationException {
        return Webhook.constructEvent(payload, header, StripeEventFixture.SECRET);
    }

    /**
     * tollgate_verify: {@link StripeVerifier#verify(byte[], String)} on the body bytes, as received.
     *
     * @return true (the verifier throws {@code SignatureException} on a refusal)
     */
    @Benchmark
    public boolean tollgateVerify() {
        verifier.verify(payloadBytes, header);
        return true;
    }

    /**
     * tollgate_verify_parse: the pipeline's verify + parse through its public entry point,
     * {@link WebhookPipeline#handle}, with the request built from the header and body bytes as an HTTP layer
     * would; no handler takes the fixture's type, so nothing is claimed (see
     * {@link BenchmarkPipelines#verifyAndParseOnly()}).
     *
     * @return the answer, {@code skipped/unhandled_type} with the event's id
     */
    @Benchmark
    public WebhookResult tollgateVerifyParse() {
        return verifyAndParse.handle(BenchmarkPipelines.PROVIDER, BenchmarkPipelines.request(payloadBytes, header));
    }
}
