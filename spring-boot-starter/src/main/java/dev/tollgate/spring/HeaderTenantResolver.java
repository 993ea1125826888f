package dev.tollgate.spring;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TenantResolver} reading one request header ({@code X-Tenant-Id} unless
 * {@code tollgate.billing.tenant.header} says otherwise), trimmed; a blank header means no tenant. The starter uses it
 * only when asked to ({@code tollgate.billing.tenant.source=header}), and says so at start-up with a WARN line and
 * the marker {@code tollgate.billing.tenant source=header … trusted_proxy=required}: any client can put any tenant id
 * in a header, so this is safe only behind a trusted proxy that sets the header from the caller's authentication and
 * removes it from client requests.
 */
public final class HeaderTenantResolver implements TenantResolver {

    /** The default header name. */
    public static final String DEFAULT_HEADER = "X-Tenant-Id";

    private final String header;

    /**
     * A resolver reading one header.
     *
     * @param header the header name
     * @throws IllegalArgumentException if the name is blank
     */
    public HeaderTenantResolver(String header) {
        Objects.requireNonNull(header, "header");
        if (header.isBlank()) {
            throw new IllegalArgumentException("the tenant header name must not be blank");
        }
        this.header = header;
    }

    /**
     * @return the header name
     */
    public String header() {
        return header;
    }

    /**
     * Reads the header.
     *
     * @param request the request
     * @return the trimmed value, or {@code null} when absent or blank
     */
    @Override
    public @Nullable String resolve(HttpServletRequest request) {
        String value = request.getHeader(header);
        if (value == null || value.isBlank()) {
            return null;
        }
        return value.trim();
    }

    @Override
    public String toString() {
        return "HeaderTenantResolver[" + header + "]";
    }
}
