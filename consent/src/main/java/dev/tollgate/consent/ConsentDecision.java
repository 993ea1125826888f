package dev.tollgate.consent;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A subject's decision in the consent banner or settings, to be recorded by {@link ConsentService#record}.
 *
 * <pre>{@code
 * ConsentDecision.builder().subjectId("visitor-7").policyVersion("2.0").onlyNecessary().source("banner").build();
 * ConsentDecision.builder().subjectId("visitor-7").policyVersion("2.0").acceptAll().source("banner").build();
 * ConsentDecision.builder().subjectId("visitor-7").policyVersion("2.0")
 *         .custom(Map.of("analytics", true, "marketing", false)).source("settings").build();
 * }</pre>
 *
 * <p>For a custom choice, purposes left out are refused (consent is never implied); necessary purposes are
 * always granted. The IP address and user agent are never stored raw, see {@link ConsentService}.
 * {@link #toString()} shows neither them nor the subject id.
 *
 * @param subjectId the opaque data-subject id, 1-256 characters, no control characters
 * @param policyVersion the policy version the subject was shown
 * @param choice the choice
 * @param customPurposes for {@link ConsentChoice#CUSTOM}: purpose id → granted; empty otherwise
 * @param source where the decision was made ({@code banner}, {@code settings}, …), 1-64 characters
 * @param ipAddress the client IP address, or {@code null}
 * @param userAgent the client user agent, or {@code null}
 */
public record ConsentDecision(String subjectId, PolicyVersion policyVersion, ConsentChoice choice,
                              Map<String, Boolean> customPurposes, String source, @Nullable String ipAddress,
                              @Nullable String userAgent) {

    /** The longest subject id, in characters. */
    public static final int MAX_SUBJECT_ID_LENGTH = 256;
    /** The longest user agent, in characters. */
    public static final int MAX_USER_AGENT_LENGTH = 1024;

    private static final Pattern SOURCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}");
    private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

    /**
     * Validates every field and reports all problems at once.
     *
     * @param subjectId the opaque data-subject id, 1-256 characters, no control characters
     * @param policyVersion the policy version the subject was shown
     * @param choice the choice
     * @param customPurposes for {@link ConsentChoice#CUSTOM}: purpose id → granted; empty otherwise
     * @param source where the decision was made ({@code banner}, {@code settings}, …), 1-64 characters
     * @param ipAddress the client IP address, or {@code null}
     * @param userAgent the client user agent, or {@code null}
     * @throws ConsentException with {@link ConsentException.Reason#INVALID_INPUT}
     */
    public ConsentDecision {
        Objects.requireNonNull(subjectId, "subjectId");
        Objects.requireNonNull(policyVersion, "policyVersion");
        Objects.requireNonNull(choice, "choice");
        Objects.requireNonNull(customPurposes, "customPurposes");
        Objects.requireNonNull(source, "source");
        customPurposes = Collections.unmodifiableSortedMap(new TreeMap<>(customPurposes));
        problems(subjectId, choice, customPurposes, source, ipAddress, userAgent);
    }

    /**
     * Checks the fields shared by decisions and withdrawals.
     *
     * @throws ConsentException naming every problem
     */
    static void problems(String subjectId, ConsentChoice choice, Map<String, Boolean> customPurposes, String source,
                         @Nullable String ipAddress, @Nullable String userAgent) {
        List<String> problems = new ArrayList<>();
        if (subjectId.isBlank() || subjectId.length() > MAX_SUBJECT_ID_LENGTH || CONTROL.matcher(subjectId).find()) {
            problems.add("subjectId must be 1-" + MAX_SUBJECT_ID_LENGTH + " characters, not blank, without control "
                    + "characters (had " + subjectId.length() + ")");
        }
        if (choice == ConsentChoice.CUSTOM && customPurposes.isEmpty()) {
            problems.add("a custom choice names at least one purpose");
        }
        if (choice != ConsentChoice.CUSTOM && !customPurposes.isEmpty()) {
            problems.add("purposes are given only with a custom choice, not with " + choice.code());
        }
        if (customPurposes.size() > ConsentPolicy.MAX_PURPOSES) {
            problems.add("at most " + ConsentPolicy.MAX_PURPOSES + " purposes, not " + customPurposes.size());
        }
        for (Map.Entry<String, Boolean> e : customPurposes.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                problems.add("purpose ids and values must not be null");
                break;
            }
        }
        if (!SOURCE.matcher(source).matches()) {
            problems.add("source must be 1-64 letters, digits or . _ : / - (such as 'banner'), but was '"
                    + ConsentException.abbreviate(source) + "'");
        }
        if (ipAddress != null && (ipAddress.isBlank() || ipAddress.length() > 64)) {
            problems.add("ipAddress must be 1-64 characters when given (had " + ipAddress.length() + ")");
        }
        if (userAgent != null && (userAgent.isBlank() || userAgent.length() > MAX_USER_AGENT_LENGTH)) {
            problems.add("userAgent must be 1-" + MAX_USER_AGENT_LENGTH + " characters when given (had "
                    + userAgent.length() + ")");
        }
        if (!problems.isEmpty()) {
            throw new ConsentException(ConsentException.Reason.INVALID_INPUT,
                    "invalid consent decision: " + String.join("; ", problems));
        }
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds a {@link ConsentDecision}; {@link #build()} reports every problem at once. */
    public static final class Builder {
        private @Nullable String subjectId;
        private @Nullable String policyVersion;
        private @Nullable ConsentChoice choice;
        private final Map<String, Boolean> purposes = new LinkedHashMap<>();
        private @Nullable String source;
        private @Nullable String ipAddress;
        private @Nullable String userAgent;

        private Builder() {
        }

        /**
         * @param subjectId the data-subject id
         * @return this builder
         */
        public Builder subjectId(String subjectId) {
            this.subjectId = Objects.requireNonNull(subjectId, "subjectId");
            return this;
        }

        /**
         * @param version the policy version shown, such as {@code 2.0}
         * @return this builder
         */
        public Builder policyVersion(String version) {
            this.policyVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * @param version the policy version shown
         * @return this builder
         */
        public Builder policyVersion(PolicyVersion version) {
            return policyVersion(Objects.requireNonNull(version, "version").toString());
        }

        /**
         * Chooses "Only necessary".
         *
         * @return this builder
         */
        public Builder onlyNecessary() {
            return choice(ConsentChoice.ONLY_NECESSARY);
        }

        /**
         * Chooses "Accept all".
         *
         * @return this builder
         */
        public Builder acceptAll() {
            return choice(ConsentChoice.ACCEPT_ALL);
        }

        /**
         * A custom choice.
         *
         * @param purposes purpose id → granted; purposes left out are refused
         * @return this builder
         */
        public Builder custom(Map<String, Boolean> purposes) {
            Objects.requireNonNull(purposes, "purposes");
            this.purposes.putAll(purposes);
            return choice(ConsentChoice.CUSTOM);
        }

        private Builder choice(ConsentChoice choice) {
            if (this.choice != null && this.choice != choice) {
                throw new ConsentException(ConsentException.Reason.INVALID_INPUT,
                        "the choice was already set to " + this.choice.code() + "; a decision has one choice");
            }
            this.choice = choice;
            return this;
        }

        /**
         * @param source where the decision was made
         * @return this builder
         */
        public Builder source(String source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * @param ipAddress the client IP address, stored only as an HMAC
         * @return this builder
         */
        public Builder ipAddress(String ipAddress) {
            this.ipAddress = Objects.requireNonNull(ipAddress, "ipAddress");
            return this;
        }

        /**
         * @param userAgent the client user agent, stored only as an HMAC
         * @return this builder
         */
        public Builder userAgent(String userAgent) {
            this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
            return this;
        }

        /**
         * @return the decision
         * @throws ConsentException with {@link ConsentException.Reason#INVALID_INPUT} naming every problem
         */
        public ConsentDecision build() {
            List<String> missing = new ArrayList<>();
            if (subjectId == null) {
                missing.add("subjectId");
            }
            if (policyVersion == null) {
                missing.add("policyVersion");
            }
            if (choice == null) {
                missing.add("a choice (onlyNecessary(), acceptAll() or custom(…))");
            }
            if (source == null) {
                missing.add("source");
            }
            if (!missing.isEmpty()) {
                throw new ConsentException(ConsentException.Reason.INVALID_INPUT,
                        "a consent decision needs " + String.join(", ", missing));
            }
            return new ConsentDecision(Objects.requireNonNull(subjectId),
                    PolicyVersion.parse(Objects.requireNonNull(policyVersion)), Objects.requireNonNull(choice),
                    purposes, Objects.requireNonNull(source), ipAddress, userAgent);
        }
    }

    /** Leaves out the subject id, IP address and user agent. */
    @Override
    public String toString() {
        return "ConsentDecision[policy " + policyVersion + ", " + choice.code() + ", " + customPurposes + ", source "
                + source + "]";
    }
}
