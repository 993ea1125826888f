package dev.tollgate.testkit;

import dev.tollgate.webhooks.AsyncWebhookPipeline;
import dev.tollgate.webhooks.WebhookPipeline;
import dev.tollgate.webhooks.WebhookResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Delivers one signed delivery N times, in sequence or all at once, to a pipeline or an HTTP endpoint, and
 * collects the answers for an exactly-once assertion: the seeds' "send the same event 3×, expect 1 DB record"
 * and "20 concurrent deliveries, one effect".
 *
 * <pre>{@code
 * SignedDelivery delivery = StripeSigner.of(secret, clock).sign(StripeEventFixture.invoicePaid().build());
 * Replayer.to(pipeline).inSequence(delivery, 3).assertExactlyOnce(dataSource, effects::get);
 * Replayer.toUrl(URI.create("http://127.0.0.1:8080/webhooks/stripe"))
 *         .concurrently(delivery, 20).assertExactlyOnce(dataSource, effects::get);
 * }</pre>
 *
 * <p>Concurrent deliveries start together behind a latch, on up to 64 threads created for the call and shut
 * down after it. Instances are immutable and thread-safe.
 */
public final class Replayer {

    private static final int MAX_THREADS = 64;
    private static final Duration WAIT_LIMIT = Duration.ofMinutes(2);

    private final String target;
    private final Function<SignedDelivery, ReplayAnswer> deliver;

    private Replayer(String target, Function<SignedDelivery, ReplayAnswer> deliver) {
        this.target = target;
        this.deliver = deliver;
    }

    /**
     * Replays into a synchronous pipeline, under the delivery's {@linkplain SignedDelivery#provider() provider}.
     *
     * @param pipeline the pipeline
     * @return the replayer
     */
    public static Replayer to(WebhookPipeline pipeline) {
        Objects.requireNonNull(pipeline, "pipeline");
        return new Replayer("WebhookPipeline", d -> answer(pipeline.handle(d.provider(), d.toRequest())));
    }

    /**
     * Replays into an asynchronous pipeline (answers {@code queued} / {@code already_received}); run its worker
     * before asserting the effect.
     *
     * @param pipeline the pipeline
     * @return the replayer
     */
    public static Replayer to(AsyncWebhookPipeline pipeline) {
        Objects.requireNonNull(pipeline, "pipeline");
        return new Replayer("AsyncWebhookPipeline", d -> answer(pipeline.handle(d.provider(), d.toRequest())));
    }

    /**
     * Replays as HTTP POSTs with a new {@link HttpClient} (HTTP/1.1, 10 s connect timeout).
     *
     * @param url the endpoint, such as {@code http://127.0.0.1:8080/webhooks/stripe}
     * @return the replayer
     */
    public static Replayer toUrl(URI url) {
        return toUrl(url, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build());
    }

    /**
     * Replays as HTTP POSTs with a given client.
     *
     * @param url the endpoint
     * @param client the client
     * @return the replayer
     */
    public static Replayer toUrl(URI url, HttpClient client) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(client, "client");
        if (!"http".equalsIgnoreCase(url.getScheme()) && !"https".equalsIgnoreCase(url.getScheme())) {
            throw new IllegalArgumentException("url must be http or https, but was " + url);
        }
        return new Replayer(url.toString(), d -> post(client, url, d));
    }

    /**
     * Delivers once.
     *
     * @param delivery the delivery
     * @return the answer
     */
    public ReplayAnswer deliver(SignedDelivery delivery) {
        return deliver.apply(Objects.requireNonNull(delivery, "delivery"));
    }

    /**
     * Delivers the same delivery {@code times} times, one after the other. A pipeline answers the repeats of
     * an event it has processed from its duplicate cache, without asking the store; to prove what the store
     * does with sequential duplicates, build the pipeline under test with
     * {@code duplicateCache(0, …)} (concurrent deliveries reach the store either way).
     *
     * @param delivery the delivery
     * @param times at least 1
     * @return the answers, in order
     */
    public ReplayResult inSequence(SignedDelivery delivery, int times) {
        Objects.requireNonNull(delivery, "delivery");
        requirePositive(times);
        List<ReplayAnswer> answers = new ArrayList<>(times);
        for (int i = 0; i < times; i++) {
            answers.add(deliver.apply(delivery));
        }
        return new ReplayResult(delivery, "sequential", answers);
    }

    /**
     * Delivers the same delivery {@code times} times at once: every delivery waits behind one latch, which
     * opens when all are submitted.
     *
     * @param delivery the delivery
     * @param times at least 1
     * @return the answers, in submission order
     * @throws IllegalStateException when interrupted, or when the deliveries did not finish within 2 minutes
     */
    public ReplayResult concurrently(SignedDelivery delivery, int times) {
        Objects.requireNonNull(delivery, "delivery");
        requirePositive(times);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(times, MAX_THREADS), runnable -> {
            Thread thread = new Thread(runnable, "tollgate-replayer");
            thread.setDaemon(true);
            return thread;
        });
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<ReplayAnswer>> futures = new ArrayList<>(times);
            for (int i = 0; i < times; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return deliver.apply(delivery);
                }));
            }
            start.countDown();
            long deadline = System.nanoTime() + WAIT_LIMIT.toNanos();
            List<ReplayAnswer> answers = new ArrayList<>(times);
            for (Future<ReplayAnswer> future : futures) {
                answers.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return new ReplayResult(delivery, "concurrent", answers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying " + delivery.eventId() + " to " + target, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a delivery of " + delivery.eventId() + " to " + target + " threw",
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(times + " concurrent deliveries of " + delivery.eventId() + " to "
                    + target + " did not finish within " + WAIT_LIMIT.toMinutes() + " minutes: is the receiver stuck?", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void requirePositive(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, but was " + times);
        }
    }

    private static ReplayAnswer answer(WebhookResult result) {
        return new ReplayAnswer(result.httpStatus(), result.toJson());
    }

    private static ReplayAnswer post(HttpClient client, URI url, SignedDelivery delivery) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body()));
        delivery.headers().forEach(request::header);
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new ReplayAnswer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new ReplayAnswer(0, "no answer from " + url + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ReplayAnswer(0, "interrupted while waiting for " + url);
        }
    }

    @Override
    public String toString() {
        return "Replayer[" + target + "]";
    }
}
