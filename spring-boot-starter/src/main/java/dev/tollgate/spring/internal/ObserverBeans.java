package dev.tollgate.spring.internal;

import dev.tollgate.billing.BillingDecision;
import dev.tollgate.billing.GateObserver;
import dev.tollgate.health.HealthCheckObserver;
import dev.tollgate.health.HealthReport;
import dev.tollgate.health.Status;
import dev.tollgate.webhooks.WebhookObserver;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Turns every observer bean of a kind into the one observer a Tollgate builder takes: none gives
 * {@code null} (the builder keeps its no-op default), one is used as it is, several are called in bean
 * order, each guarded, so that one that throws does not keep the event from the others.
 */
public final class ObserverBeans {

    private static final Logger LOG = LoggerFactory.getLogger("dev.tollgate.spring");

    private ObserverBeans() {
    }

    /**
     * @param beans the application's {@link WebhookObserver} beans
     * @return one observer for all of them, or {@code null} when there are none
     */
    public static @Nullable WebhookObserver webhook(ObjectProvider<WebhookObserver> beans) {
        List<WebhookObserver> all = beans.orderedStream().toList();
        if (all.size() <= 1) {
            return all.isEmpty() ? null : all.get(0);
        }
        return new WebhookObserver() {
            @Override
            public void deliveryRefused(String provider, String reason) {
                each(all, o -> o.deliveryRefused(provider, reason));
            }

            @Override
            public void eventHandled(String provider, String eventType, Outcome outcome, Duration duration) {
                each(all, o -> o.eventHandled(provider, eventType, outcome, duration));
            }
        };
    }

    /**
     * @param beans the application's {@link GateObserver} beans
     * @return one observer for all of them, or {@code null} when there are none
     */
    public static @Nullable GateObserver gate(ObjectProvider<GateObserver> beans) {
        List<GateObserver> all = beans.orderedStream().toList();
        if (all.size() <= 1) {
            return all.isEmpty() ? null : all.get(0);
        }
        return new GateObserver() {
            @Override
            public void decided(BillingDecision decision) {
                each(all, o -> o.decided(decision));
            }
        };
    }

    /**
     * @param beans the application's {@link HealthCheckObserver} beans
     * @return one observer for all of them, or {@code null} when there are none
     */
    public static @Nullable HealthCheckObserver health(ObjectProvider<HealthCheckObserver> beans) {
        List<HealthCheckObserver> all = beans.orderedStream().toList();
        if (all.size() <= 1) {
            return all.isEmpty() ? null : all.get(0);
        }
        return new HealthCheckObserver() {
            @Override
            public void checked(String name, Status status, Duration duration) {
                each(all, o -> o.checked(name, status, duration));
            }

            @Override
            public void reported(HealthReport report) {
                each(all, o -> o.reported(report));
            }
        };
    }

    private static <T> void each(List<T> observers, Consumer<T> call) {
        for (T observer : observers) {
            try {
                call.accept(observer);
            } catch (RuntimeException e) {
                LOG.warn("the observer {} failed (ignored; the others were still told)", observer.getClass().getName(),
                        e);
            }
        }
    }
}
