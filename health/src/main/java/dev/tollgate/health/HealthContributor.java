package dev.tollgate.health;

/**
 * One thing a health probe checks: a database, a verifier function, the configuration, a kill switch.
 * Register it with a {@link HealthRegistry}, which runs it with a timeout on its own threads, so an
 * implementation may block; it should still honour interrupts.
 *
 * <p>A contributor that throws is reported {@link Status#DOWN} with the exception's type and scrubbed
 * message; it never breaks the probe.
 *
 * <pre>{@code
 * HealthContributor cache = () -> cacheClient.ping() ? Health.up() : Health.down("no pong");
 * }</pre>
 */
@FunctionalInterface
public interface HealthContributor {

    /**
     * Checks the thing this contributor watches.
     *
     * @return what was found
     * @throws Exception any failure, reported as {@link Status#DOWN}
     */
    Health check() throws Exception;
}
