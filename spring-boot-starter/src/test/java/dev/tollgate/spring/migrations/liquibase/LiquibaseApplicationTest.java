package dev.tollgate.spring.migrations.liquibase;

import dev.tollgate.migrations.MigrationTool;
import dev.tollgate.spring.migrations.SchemaToolApplicationTest;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/** An application with Liquibase: Tollgate's modules' changelogs run into Tollgate's own changelog table. */
class LiquibaseApplicationTest extends SchemaToolApplicationTest {

    @Override
    protected MigrationTool tool() {
        return MigrationTool.LIQUIBASE;
    }

    @Override
    protected List<String> toolProperties() {
        return List.of("spring.liquibase.change-log=classpath:db/changelog/app-changelog.xml");
    }

    @Override
    protected String applicationsOwnChange() {
        return "app-1";
    }

    @Override
    protected List<String> applicationHistory(DataSource dataSource) throws SQLException {
        return rows(dataSource, "SELECT id FROM public.databasechangelog ORDER BY orderexecuted");
    }

    @Override
    protected long tollgateFilesRecorded(DataSource dataSource) throws SQLException {
        return count(dataSource, "SELECT count(*) FROM tollgate.liquibase_changelog WHERE exectype = 'EXECUTED'");
    }

    @Override
    protected String editWebhooksV1() {
        return "UPDATE tollgate.liquibase_changelog SET md5sum = '9:00000000000000000000000000000000'"
                + " WHERE id = 'V1__webhook_events.sql'";
    }
}
