package dev.tollgate.webhooks.internal;

import com.stripe.exception.StripeException;
import com.stripe.net.HttpClient;
import com.stripe.net.HttpURLConnectionClient;
import com.stripe.net.StripeRequest;
import com.stripe.net.StripeResponse;
import java.time.Duration;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * stripe-java's HTTP client with one addition: it remembers the {@code Retry-After} header of the last 429
 * answer, which stripe-java's {@code RateLimitException} does not expose. One instance per catch-up client;
 * the value is per thread, so concurrent runs do not read each other's.
 */
public final class RetryAfterRecorder extends HttpClient {

    private final HttpClient delegate = new HttpURLConnectionClient();
    private final ThreadLocal<@Nullable Duration> last = new ThreadLocal<>();

    /** Creates a recorder over stripe-java's default {@link HttpURLConnectionClient}. */
    public RetryAfterRecorder() {
    }

    @Override
    public StripeResponse request(StripeRequest request) throws StripeException {
        StripeResponse response = delegate.request(request);
        last.set(response.code() == 429 ? retryAfter(response.headers().firstValue("Retry-After").orElse(null))
                : null);
        return response;
    }

    /**
     * Returns and forgets the {@code Retry-After} of the last 429 answer on this thread.
     *
     * @return the wait the provider asked for, if it named one in seconds
     */
    public Optional<Duration> takeRetryAfter() {
        Duration value = last.get();
        last.remove();
        return Optional.ofNullable(value);
    }

    private static @Nullable Duration retryAfter(@Nullable String header) {
        if (header == null) {
            return null;
        }
        try {
            long seconds = Long.parseLong(header.trim());
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            return null; // an HTTP date: the bounded backoff decides
        }
    }
}
