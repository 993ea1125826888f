package dev.tollgate.testkit;

import dev.tollgate.billing.ApplyResult;
import dev.tollgate.billing.BillingEventApplier;
import dev.tollgate.billing.BillingRepository;
import dev.tollgate.billing.PostgresBillingRepository;
import dev.tollgate.billing.ProviderEvent;
import dev.tollgate.testkit.postgres.TestDatabase;
import dev.tollgate.testkit.postgres.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class PostgresBillingRepositoryContractTest extends BillingRepositoryContract {

    private static TestDatabase database;

    @BeforeAll
    static void createDatabase() {
        database = TestPostgres.shared().createDatabase().migrate();
    }

    @AfterAll
    static void dropDatabase() {
        database.close();
    }

    @Override
    protected BillingRepository createRepository() {
        DataSource dataSource = database.dataSource();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("TRUNCATE billing.tenant_billing, billing.customers, billing.audit_log, billing.unresolved_events");
        } catch (SQLException e) {
            throw new IllegalStateException("could not empty the billing tables", e);
        }
        return new PostgresBillingRepository(dataSource);
    }

    @Override
    protected ApplyResult apply(BillingEventApplier applier, ProviderEvent event) {
        return applier.apply(database.dataSource(), event);
    }
}
