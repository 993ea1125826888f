package dev.tollgate.spring;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link TenantResolver}: the tenant id is the value of one request header
 * ({@code X-Tenant-Id} unless {@code tollgate.billing.tenant-header} says otherwise), trimmed; a blank
 * header means no tenant.
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
