package dev.tollgate.jaxrs.internal;

import dev.tollgate.jaxrs.TenantResolver;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** {@link TenantResolver#header(String)}: one request header, trimmed; blank is no tenant. */
public final class HeaderTenantResolver implements TenantResolver {

    /** RFC 9110 token characters. */
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}");

    private final String header;

    /**
     * @param header the header name
     * @throws IllegalArgumentException if it is not a header name
     */
    public HeaderTenantResolver(String header) {
        Objects.requireNonNull(header, "header");
        if (!TOKEN.matcher(header).matches()) {
            throw new IllegalArgumentException("the tenant header name must be 1-64 token characters (letters, digits,"
                    + " '-', …), but was '" + (header.length() > 64 ? header.substring(0, 64) + "…" : header) + "'");
        }
        this.header = header;
    }

    @Override
    public @Nullable String resolve(ContainerRequestContext request) {
        String value = request.getHeaderString(header);
        return value == null || value.isBlank() ? null : value.strip();
    }

    @Override
    public String hint() {
        return "send it in the " + header + " header";
    }

    @Override
    public String toString() {
        return "TenantResolver.header(" + header + ")";
    }
}
