package dev.tollgate.billing;

import java.util.Locale;
import java.util.Objects;

/** The provider whose events set a tenant's billing state. */
public enum BillingProvider {
    /** Stripe subscriptions, invoices and checkout sessions. */
    STRIPE("stripe"),
    /** RevenueCat (App Store, Play Store and web purchases). */
    REVENUECAT("revenuecat");

    private final String wireName;

    BillingProvider(String wireName) {
        this.wireName = wireName;
    }

    /**
     * The lower-case name stored in the database, such as {@code stripe}.
     *
     * @return the wire name
     */
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a provider name, case-insensitively.
     *
     * @param name {@code stripe} or {@code revenuecat}
     * @return the provider
     * @throws IllegalArgumentException for any other name
     */
    public static BillingProvider fromWireName(String name) {
        Objects.requireNonNull(name, "name");
        String lower = name.trim().toLowerCase(Locale.ROOT);
        for (BillingProvider provider : values()) {
            if (provider.wireName.equals(lower)) {
                return provider;
            }
        }
        throw new IllegalArgumentException("unknown billing provider '" + name + "': expected stripe or revenuecat");
    }
}
