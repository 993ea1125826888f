package dev.tollgate.webhooks.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tollgate.Secret;
import dev.tollgate.TollgateException;
import dev.tollgate.webhooks.RevenueCatVerifier;
import dev.tollgate.webhooks.StandardWebhooksVerifier;
import dev.tollgate.webhooks.StripeVerifier;
import dev.tollgate.webhooks.WebhookConfigurationException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerifierConfigurationTest {

    private static final String STRIPE_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String STANDARD_SECRET = "whsec_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
    private static final String RC_TOKEN = "rc-3c7f1d9a-4b6e-4f2a-9e1d-2a7b8c9d0e1f";

    private static void assertProblems(WebhookConfigurationException e, String... fragments) {
        assertEquals(fragments.length, e.problems().size(), e.getMessage());
        for (int i = 0; i < fragments.length; i++) {
            assertTrue(e.problems().get(i).contains(fragments[i]), "problem " + i + ": " + e.problems().get(i));
            assertTrue(e.getMessage().contains(e.problems().get(i)));
        }
        assertTrue(e.getMessage().contains("(" + fragments.length + " problem"), e.getMessage());
    }

    @Test
    void stripeBuilderReportsEveryProblemAtOnce() {
        WebhookConfigurationException e = assertThrows(WebhookConfigurationException.class, () -> StripeVerifier.builder()
                .secret(" " + STRIPE_SECRET + "\n")
                .secret("")
                .secret("sk_live_51HxYzAbCdEfGhIjKlMnOpQr")
                .secret(Secret.of("sk_live_51HxYzAbCdEfGhIjKlMnOpQr"))
                .tolerance(Duration.ofMillis(-1500))
                .maxBodyBytes(0)
                .build());
        assertProblems(e, "secret #1 (whsec_…LaSw) has leading or trailing whitespace", "secret #2 is empty",
                "secret #4 (sk_live_…OpQr) is the same as secret #3", "secret #3 (sk_live_…OpQr) is a Stripe API key",
                "secret #4 (sk_live_…OpQr) is a Stripe API key", "tolerance must be positive, but was PT-1.5S",
                "maxBodyBytes must be positive, but was 0");
        assertFalse(e.getMessage().contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2"), e.getMessage());
        assertFalse(e.getMessage().contains("51HxYzAbCdEfGhIjKl"), e.getMessage());
        assertTrue(e instanceof TollgateException);

        assertProblems(assertThrows(WebhookConfigurationException.class, () -> StripeVerifier.builder().build()),
                "no secret configured");
        assertProblems(assertThrows(WebhookConfigurationException.class, () -> StripeVerifier.builder()
                .secret(STRIPE_SECRET).tolerance(Duration.ofMillis(1500)).build()), "whole seconds");
        assertProblems(assertThrows(WebhookConfigurationException.class, () -> StripeVerifier.builder()
                .secret(STRIPE_SECRET).tolerance(Duration.ofDays(2)).build()), "at most 1 day");
    }

    @Test
    void standardWebhooksBuilderReportsEveryProblemAtOnce() {
        WebhookConfigurationException e = assertThrows(WebhookConfigurationException.class, () -> StandardWebhooksVerifier
                .builder()
                .provider("Acme Billing")
                .secret("whsec_")
                .secret("whsec_not*base64!!secret-value")
                .secret("")
                .tolerance(Duration.ZERO)
                .maxBodyBytes(-1)
                .build());
        assertProblems(e, "provider must be 1 to 64 lower-case letters", "secret #3 is empty",
                "secret #1 (whsec_****) has nothing after the whsec_ prefix", "secret #2 (whsec_…alue) is not base64",
                "tolerance must be positive", "maxBodyBytes must be positive");
        assertFalse(e.getMessage().contains("not*base64!!"), e.getMessage());
    }

    @Test
    void revenueCatBuilderReportsEveryProblemAtOnce() {
        WebhookConfigurationException e = assertThrows(WebhookConfigurationException.class, () -> RevenueCatVerifier
                .builder().authorization("Bearer").authorization(RC_TOKEN + " ").maxBodyBytes(0).build());
        assertProblems(e, "authorization #2 (…0e1f) has leading or trailing whitespace",
                "authorization #1 is only the word 'Bearer'", "maxBodyBytes must be positive");
        assertFalse(e.getMessage().contains(RC_TOKEN.substring(0, 20)), e.getMessage());
        assertProblems(assertThrows(WebhookConfigurationException.class, () -> RevenueCatVerifier.builder().build()),
                "no authorization configured");
    }

    @Test
    void nullsAreRefusedAtTheBoundaryWithTheirName() {
        assertEquals("secret", assertThrows(NullPointerException.class,
                () -> StripeVerifier.builder().secret((String) null)).getMessage());
        assertEquals("clock", assertThrows(NullPointerException.class,
                () -> StripeVerifier.builder().clock((Clock) null)).getMessage());
        assertEquals("tolerance", assertThrows(NullPointerException.class,
                () -> StandardWebhooksVerifier.builder().tolerance(null)).getMessage());
        assertEquals("provider", assertThrows(NullPointerException.class,
                () -> StandardWebhooksVerifier.builder().provider(null)).getMessage());
        assertEquals("authorization", assertThrows(NullPointerException.class,
                () -> RevenueCatVerifier.builder().authorization((Secret) null)).getMessage());
        StripeVerifier stripe = StripeVerifier.builder().secret(STRIPE_SECRET).build();
        assertEquals("body", assertThrows(NullPointerException.class, () -> stripe.verify(null, "t=1")).getMessage());
        assertEquals("request", assertThrows(NullPointerException.class, () -> stripe.verify(null)).getMessage());
    }

    @Test
    void everyTypeHoldingASecretMasksItInToString() {
        StripeVerifier.Builder stripeBuilder = StripeVerifier.builder().secret(STRIPE_SECRET)
                .secret(Secret.of("whsec_SecondSecondSecond9876"));
        StandardWebhooksVerifier.Builder standardBuilder = StandardWebhooksVerifier.builder().secret(STANDARD_SECRET);
        RevenueCatVerifier.Builder revenueCatBuilder = RevenueCatVerifier.builder().authorization("Bearer " + RC_TOKEN);
        List<Object> holders = List.of(stripeBuilder, stripeBuilder.build(), standardBuilder, standardBuilder.build(),
                revenueCatBuilder, revenueCatBuilder.build());
        for (Object holder : holders) {
            String text = holder.toString();
            assertFalse(text.contains("MfKQ9r8GKYqrTwjUPD8ILPZIo2"), text);
            assertFalse(text.contains("SecondSecondSecond"), text);
            assertFalse(text.contains("AQIDBAUGBwgJCgsMDQ4PEBES"), text);
            assertFalse(text.contains("3c7f1d9a-4b6e"), text);
            assertTrue(text.contains("…") || text.contains("****"), text);
        }
        assertTrue(stripeBuilder.build().toString().contains("whsec_…LaSw"), stripeBuilder.build().toString());
        assertTrue(stripeBuilder.build().toString().contains("whsec_…9876"));
        assertTrue(standardBuilder.build().toString().contains("whsec_…HyA="));
        assertEquals("StripeVerifier[secrets=[whsec_…LaSw, whsec_…9876], tolerance=300s, maxBodyBytes=1048576]",
                stripeBuilder.build().toString());
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        StripeVerifier stripe = StripeVerifier.builder().secret(STRIPE_SECRET).build();
        assertEquals(Duration.ofSeconds(300), stripe.tolerance());
        assertEquals(1 << 20, stripe.maxBodyBytes());
        StandardWebhooksVerifier standard = StandardWebhooksVerifier.builder().secret(STANDARD_SECRET).build();
        assertEquals(Duration.ofMinutes(5), standard.tolerance());
        assertEquals(1 << 20, standard.maxBodyBytes());
        assertEquals("standard-webhooks", standard.provider());
        assertEquals(1 << 20, RevenueCatVerifier.builder().authorization(RC_TOKEN).build().maxBodyBytes());
    }
}
