package dev.tollgate.webhooks;

import dev.tollgate.TollgateException;
import java.util.List;
import java.util.Objects;

/**
 * A verifier (or other webhook component) was configured wrongly. Thrown by {@code build()}, once, with
 * every problem found: fix them all and build again. Secrets appear in masked form only
 * ({@code whsec_…abcd}).
 */
public final class WebhookConfigurationException extends TollgateException {

    private static final long serialVersionUID = 1L;

    /** The problems, each a sentence naming the setting, the rejected value and the fix. */
    private final List<String> problems;

    /**
     * Creates the exception.
     *
     * @param component what was being built, such as {@code StripeVerifier}
     * @param problems every problem found, at least one, without secrets
     */
    public WebhookConfigurationException(String component, List<String> problems) {
        super(message(Objects.requireNonNull(component, "component"), Objects.requireNonNull(problems, "problems")));
        this.problems = List.copyOf(problems);
    }

    private static String message(String component, List<String> problems) {
        StringBuilder text = new StringBuilder()
                .append(component).append(" is misconfigured (")
                .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems").append("):");
        for (String problem : problems) {
            text.append("\n  - ").append(problem);
        }
        return text.toString();
    }

    /** @return every problem found, in the order the settings were checked */
    public List<String> problems() {
        return problems;
    }
}
