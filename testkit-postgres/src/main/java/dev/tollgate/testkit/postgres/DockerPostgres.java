package dev.tollgate.testkit.postgres;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Starts a PostgreSQL container through Testcontainers. Only loaded after {@link #isUsable()} found
 * Testcontainers on the class path, so the dependency stays optional.
 */
final class DockerPostgres {

    /** The image matches the seeds' minimum version, like the embedded binaries. */
    static final String IMAGE = "postgres:15-alpine";

    private DockerPostgres() {
    }

    /** @return whether Testcontainers is on the class path and a Docker engine answers */
    static boolean isUsable() {
        try {
            Class.forName("org.testcontainers.DockerClientFactory", false, DockerPostgres.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** Starts a container; it is stopped by Testcontainers' reaper when the JVM exits. */
    static String[] start() {
        @SuppressWarnings("resource") // lives as long as the JVM, like the embedded server
        PostgreSQLContainer container = new PostgreSQLContainer(IMAGE)
                .withCommand("postgres", "-c", "max_connections=300", "-c", "fsync=off");
        container.start();
        return new String[] {container.getJdbcUrl(), container.getUsername(), container.getPassword()};
    }
}
