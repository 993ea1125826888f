package dev.tollgate.consent;

import java.util.Objects;

/** What the subject chose in the consent banner. */
public enum ConsentChoice {
    /** Only strictly necessary purposes ("Only necessary"). Also the choice recorded by a full withdrawal. */
    ONLY_NECESSARY("only_necessary"),
    /** Every purpose of the policy ("Accept all"). */
    ACCEPT_ALL("accept_all"),
    /** A purpose-by-purpose choice ("Custom settings"). */
    CUSTOM("custom");

    private final String code;

    ConsentChoice(String code) {
        this.code = code;
    }

    /** @return the code stored in {@code consent.records.choice}, such as {@code accept_all} */
    public String code() {
        return code;
    }

    /**
     * @param code a stored code
     * @return the choice
     * @throws ConsentException with {@link ConsentException.Reason#INVALID_INPUT} for an unknown code
     */
    public static ConsentChoice fromCode(String code) {
        Objects.requireNonNull(code, "code");
        for (ConsentChoice choice : values()) {
            if (choice.code.equals(code)) {
                return choice;
            }
        }
        throw new ConsentException(ConsentException.Reason.INVALID_INPUT, "unknown consent choice '"
                + ConsentException.abbreviate(code) + "': expected only_necessary, accept_all or custom");
    }
}
