package dev.tollgate.migrations;

import java.io.IOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies Tollgate's SQL migrations to a PostgreSQL database: by itself, or through the application's own
 * Flyway or Liquibase ({@link #using(MigrationTool)}).
 *
 * <pre>{@code
 * // every Tollgate module on the classpath:
 * SchemaMigrator.forAllModules().migrate(dataSource);
 * // or only some:
 * SchemaMigrator.forModules("webhooks", "billing").migrate(dataSource);
 * // recorded by the application's Flyway (one history table per module) or Liquibase:
 * SchemaMigrator.forAllModules().using(MigrationTool.FLYWAY).migrate(dataSource);
 * }</pre>
 *
 * <p>Migrations are the files {@code db/tollgate/<module>/V<n>__<description>.sql} on the class path.
 * Each file runs in its own transaction and is recorded in {@code tollgate.schema_history} (or the chosen
 * tool's history, see {@link MigrationTool}); a file already recorded is skipped, and one whose content changed
 * after it was applied stops the run with a {@link MigrationException} naming the file (write a new version
 * instead). Several processes may migrate the same database at once: a PostgreSQL advisory lock makes them take
 * turns.
 *
 * <p>Modules are applied in a fixed order (webhooks, billing, consent, legal, then any other module
 * alphabetically, and {@code tollgate} last), so later modules may refer to earlier ones.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class SchemaMigrator {

    /** The resource folder under which every module keeps its migrations. */
    public static final String ROOT = "db/tollgate";
    /** The schema that holds Tollgate's migration history, whichever tool records it. */
    static final String HISTORY_SCHEMA = "tollgate";

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);
    private static final Pattern FILE = Pattern.compile("V(\\d+)__(\\w+)\\.sql");
    private static final Pattern MODULE = Pattern.compile("[a-z][a-z0-9_]*");
    private static final List<String> ORDER = List.of("webhooks", "billing", "consent", "legal");
    private static final String LAST = "tollgate";
    /** Arbitrary but fixed key for pg_advisory_lock: "tollgate" in ASCII. */
    private static final long LOCK_KEY = 0x746f6c6c67617465L;

    private final List<String> modules; // empty = discover
    private final ClassLoader classLoader;
    private final MigrationTool tool;

    private SchemaMigrator(List<String> modules, ClassLoader classLoader, MigrationTool tool) {
        this.modules = modules;
        this.classLoader = classLoader;
        this.tool = tool;
    }

    /**
     * A migrator for the named modules' folders under {@code db/tollgate/}.
     *
     * @param modules module folder names such as {@code webhooks}, {@code billing}
     * @return the migrator
     * @throws IllegalArgumentException if no module is named or a name is not a lower-case identifier
     */
    public static SchemaMigrator forModules(String... modules) {
        Objects.requireNonNull(modules, "modules");
        if (modules.length == 0) {
            throw new IllegalArgumentException("name at least one module, or use forAllModules()");
        }
        List<String> problems = new ArrayList<>();
        for (String module : modules) {
            if (module == null || !MODULE.matcher(module).matches()) {
                problems.add("'" + module + "' is not a module folder name (lower-case letters, digits, _)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new SchemaMigrator(List.copyOf(new LinkedHashSet<>(List.of(modules))), defaultClassLoader(),
                MigrationTool.SCHEMA_MIGRATOR);
    }

    /**
     * A migrator for every module that has a folder under {@code db/tollgate/} on the class path.
     *
     * @return the migrator
     */
    public static SchemaMigrator forAllModules() {
        return new SchemaMigrator(List.of(), defaultClassLoader(), MigrationTool.SCHEMA_MIGRATOR);
    }

    /**
     * The same migrator, reading migrations through another class loader.
     *
     * @param loader the class loader to find {@code db/tollgate/…} resources with
     * @return a new migrator
     */
    public SchemaMigrator withClassLoader(ClassLoader loader) {
        return new SchemaMigrator(modules, Objects.requireNonNull(loader, "loader"), tool);
    }

    /**
     * The same migrator, applying the files through another tool. The files, their order and the resulting
     * schema are the same; only where they are recorded differs (see {@link MigrationTool}). The tool's library
     * must be on the class path when {@link #migrate(DataSource)} runs.
     *
     * @param tool the tool that applies and records the migrations
     * @return a new migrator
     */
    public SchemaMigrator using(MigrationTool tool) {
        return new SchemaMigrator(modules, classLoader, Objects.requireNonNull(tool, "tool"));
    }

    /** @return the tool this migrator applies migrations with ({@link MigrationTool#SCHEMA_MIGRATOR} unless set) */
    public MigrationTool tool() {
        return tool;
    }

    /**
     * Applies every migration that the database has not had yet.
     *
     * <p>Several processes may call this at once on one database: a PostgreSQL advisory lock, held on one
     * connection borrowed for the run, makes them take turns. Flyway borrows further connections of its own while
     * that one holds the lock, so a pool that migrates through Flyway needs at least three.
     *
     * @param dataSource the database; a connection is borrowed for the duration of the run
     * @return the migrations applied by this call, in the order they ran (empty when up to date)
     * @throws MigrationException if a migration is missing, changed after it was applied, or fails, or the
     *         chosen tool is not on the class path
     */
    public List<AppliedMigration> migrate(DataSource dataSource) {
        Objects.requireNonNull(dataSource, "dataSource");
        Map<String, TreeMap<Integer, MigrationFile>> plan = plan();
        if (tool == MigrationTool.FLYWAY) {
            requireClass("org.flywaydb.core.Flyway", "Flyway", "org.flywaydb:flyway-core and "
                    + "org.flywaydb:flyway-database-postgresql");
        } else if (tool == MigrationTool.LIQUIBASE) {
            requireClass("liquibase.Liquibase", "Liquibase", "org.liquibase:liquibase-core");
        }
        List<AppliedMigration> applied = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            try {
                if (tool == MigrationTool.SCHEMA_MIGRATOR) {
                    applyItself(connection, plan, applied);
                } else {
                    migrateWithTool(dataSource, connection, plan, applied);
                }
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new MigrationException("could not migrate the database: " + e.getMessage(), e);
        }
        return Collections.unmodifiableList(applied);
    }

    /**
     * Flyway and Liquibase under one session-level advisory lock, held on this connection for the whole run:
     * two Flyways that baseline the same new history table at once fail otherwise ("already exists, and is
     * empty"). Like those tools' own locks, it needs a session: run them on a direct connection, not through a
     * transaction-mode pooler.
     */
    private void migrateWithTool(DataSource dataSource, Connection connection,
                                 Map<String, TreeMap<Integer, MigrationFile>> plan, List<AppliedMigration> applied)
            throws SQLException {
        connection.setAutoCommit(true);
        try (Statement lock = connection.createStatement()) {
            lock.execute("SELECT pg_advisory_lock(" + LOCK_KEY + ")");
        }
        try {
            if (tool == MigrationTool.FLYWAY) {
                // Flyway borrows connections of its own; this one only holds the lock
                applied.addAll(FlywayRunner.migrate(dataSource, plan, classLoader));
            } else {
                applied.addAll(LiquibaseRunner.migrate(connection, plan, classLoader));
            }
        } finally {
            connection.setAutoCommit(true);
            try (Statement unlock = connection.createStatement()) {
                unlock.execute("SELECT pg_advisory_unlock(" + LOCK_KEY + ")");
            }
        }
    }

    /**
     * Tollgate's own migrator: each file in a transaction of its own that first takes a transaction-scoped
     * advisory lock and then looks the file up, so racing replicas take turns and apply each file once. Nothing
     * outlives a transaction, which makes it safe behind a transaction-mode pooler (PgBouncer) too: a session
     * lock there could be taken on one server connection and released on another, and stay held.
     */
    private static void applyItself(Connection connection, Map<String, TreeMap<Integer, MigrationFile>> plan,
                                    List<AppliedMigration> applied) throws SQLException {
        connection.setAutoCommit(false);
        inLockedTransaction(connection, () -> {
            ensureHistoryTable(connection);
            return null;
        });
        for (Map.Entry<String, TreeMap<Integer, MigrationFile>> module : plan.entrySet()) {
            for (MigrationFile file : module.getValue().values()) {
                AppliedMigration done = inLockedTransaction(connection, () -> {
                    String known = recordedChecksum(connection, file);
                    if (known == null) {
                        apply(connection, file);
                        return file.asApplied();
                    }
                    if (!known.equals(file.checksum())) {
                        throw file.changedAfterApplied("tollgate.schema_history, checksum " + abbreviate(known)
                                + ", now " + abbreviate(file.checksum()), module.getValue().lastKey() + 1);
                    }
                    return null;
                });
                if (done != null) {
                    applied.add(done);
                    LOG.info("tollgate.migration.applied module={} version={} description=\"{}\"",
                            file.module(), file.version(), file.description());
                }
            }
        }
    }

    /** Work done in one transaction. */
    @FunctionalInterface
    private interface TransactionWork<T> {
        @Nullable T run() throws SQLException;
    }

    /** Runs the work in a transaction that first takes Tollgate's transaction-scoped advisory lock. */
    private static <T> @Nullable T inLockedTransaction(Connection connection, TransactionWork<T> work)
            throws SQLException {
        try {
            try (Statement lock = connection.createStatement()) {
                lock.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            }
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback();
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }

    private void requireClass(String className, String tool, String artifacts) {
        try {
            Class.forName(className, false, classLoader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new MigrationException(tool + " is not on the class path: add " + artifacts
                    + ", or migrate with MigrationTool.SCHEMA_MIGRATOR, which needs nothing", null);
        }
    }

    /**
     * Lists the migrations this migrator would consider, applied or not, in the order they run.
     *
     * @return resource paths such as {@code db/tollgate/webhooks/V1__events.sql}
     */
    public List<String> migrations() {
        List<String> paths = new ArrayList<>();
        plan().values().forEach(files -> files.values().forEach(r -> paths.add(r.path())));
        return paths;
    }

    private Map<String, TreeMap<Integer, MigrationFile>> plan() {
        List<String> names = modules.isEmpty() ? discoverModules() : modules;
        Map<String, TreeMap<Integer, MigrationFile>> plan = new TreeMap<>(SchemaMigrator::compareModules);
        for (String module : names) {
            TreeMap<Integer, MigrationFile> files = new TreeMap<>();
            for (String name : listFolder(ROOT + "/" + module)) {
                Matcher m = FILE.matcher(name);
                if (!m.matches()) {
                    continue;
                }
                int version = Integer.parseInt(m.group(1));
                String path = ROOT + "/" + module + "/" + name;
                MigrationFile previous = files.put(version, MigrationFile.load(classLoader, module, version,
                        m.group(2).replace('_', ' '), path));
                if (previous != null) {
                    throw new MigrationException("two migrations have version " + version + " in "
                            + ROOT + "/" + module + ": " + previous.path() + " and " + path, null);
                }
            }
            if (files.isEmpty()) {
                throw new MigrationException("no migrations found under " + ROOT + "/" + module
                        + " on the class path: is the tollgate-" + module + " jar a dependency?", null);
            }
            plan.put(module, files);
        }
        return plan;
    }

    private static int compareModules(String a, String b) {
        return Integer.compare(rank(a), rank(b)) != 0 ? Integer.compare(rank(a), rank(b)) : a.compareTo(b);
    }

    private static int rank(String module) {
        int i = ORDER.indexOf(module);
        if (i >= 0) {
            return i;
        }
        return LAST.equals(module) ? Integer.MAX_VALUE : ORDER.size();
    }

    private List<String> discoverModules() {
        Set<String> found = new TreeSet<>();
        for (String entry : listFolder(ROOT)) {
            String name = entry.endsWith("/") ? entry.substring(0, entry.length() - 1) : entry;
            if (MODULE.matcher(name).matches()) {
                found.add(name);
            }
        }
        return new ArrayList<>(found);
    }

    /** Names of the direct children of a class-path folder, merged over every jar and directory. */
    private Set<String> listFolder(String folder) {
        Set<String> names = new TreeSet<>();
        try {
            Enumeration<URL> urls = classLoader.getResources(folder);
            while (urls.hasMoreElements()) {
                URL url = urls.nextElement();
                switch (url.getProtocol()) {
                    case "file" -> {
                        try (Stream<Path> children = Files.list(Path.of(url.toURI()))) {
                            children.forEach(p -> names.add(p.getFileName().toString()));
                        }
                    }
                    case "jar" -> {
                        JarURLConnection connection = (JarURLConnection) url.openConnection();
                        connection.setUseCaches(false);
                        try (JarFile jar = connection.getJarFile()) {
                            String prefix = folder + "/";
                            Enumeration<JarEntry> entries = jar.entries();
                            while (entries.hasMoreElements()) {
                                String entry = entries.nextElement().getName();
                                if (entry.startsWith(prefix) && entry.length() > prefix.length()) {
                                    String rest = entry.substring(prefix.length());
                                    int slash = rest.indexOf('/');
                                    names.add(slash < 0 ? rest : rest.substring(0, slash));
                                }
                            }
                        }
                    }
                    default -> throw new MigrationException("cannot list " + folder + " in " + url.getProtocol()
                            + " resources: name the modules with SchemaMigrator.forModules(…)", null);
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new MigrationException("could not list " + folder + " on the class path", e);
        }
        return names;
    }

    private static void ensureHistoryTable(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS tollgate");
            s.execute("CREATE TABLE IF NOT EXISTS tollgate.schema_history ("
                    + " module text NOT NULL,"
                    + " version integer NOT NULL,"
                    + " description text NOT NULL,"
                    + " checksum text NOT NULL,"
                    + " installed_at timestamptz NOT NULL DEFAULT now(),"
                    + " execution_ms bigint NOT NULL,"
                    + " PRIMARY KEY (module, version))");
        }
    }

    /**
     * What {@link MigrationTool#SCHEMA_MIGRATOR} recorded of a module (version → checksum), empty when it never
     * ran here: Flyway and Liquibase take such a module over from there instead of applying its files again.
     */
    static Map<Integer, String> recordedItself(Connection connection, String module) throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('tollgate.schema_history') IS NOT NULL")) {
            if (!rs.next() || !rs.getBoolean(1)) {
                return Map.of();
            }
        }
        return appliedChecksums(connection, module);
    }

    private static Map<Integer, String> appliedChecksums(Connection connection, String module) throws SQLException {
        Map<Integer, String> done = new HashMap<>();
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT version, checksum FROM tollgate.schema_history WHERE module = ?")) {
            ps.setString(1, module);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    done.put(rs.getInt(1), rs.getString(2));
                }
            }
        }
        return done;
    }

    private static @Nullable String recordedChecksum(Connection connection, MigrationFile file) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT checksum FROM tollgate.schema_history WHERE module = ? AND version = ?")) {
            ps.setString(1, file.module());
            ps.setInt(2, file.version());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Runs a file and records it, in the caller's transaction. */
    private static void apply(Connection connection, MigrationFile file) {
        long start = System.nanoTime();
        try {
            try (Statement s = connection.createStatement()) {
                s.execute(file.sql());
            }
            try (PreparedStatement ps = connection.prepareStatement(
                    "INSERT INTO tollgate.schema_history (module, version, description, checksum, execution_ms)"
                            + " VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, file.module());
                ps.setInt(2, file.version());
                ps.setString(3, file.description());
                ps.setString(4, file.checksum());
                ps.setLong(5, (System.nanoTime() - start) / 1_000_000);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw new MigrationException("migration " + file.path() + " failed and was rolled back: "
                    + e.getMessage(), e);
        }
    }

    static String abbreviate(String checksum) {
        return checksum.substring(0, Math.min(12, checksum.length()));
    }

    private static ClassLoader defaultClassLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : SchemaMigrator.class.getClassLoader();
    }
}
