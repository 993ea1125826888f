package dev.tollgate.consent;

import dev.tollgate.testkit.postgres.TollgatePostgres;
import javax.sql.DataSource;

/** The PostgreSQL repository keeps the repository contract (one database shared by the class's tests). */
@TollgatePostgres
class PostgresConsentRepositoryContractTest extends ConsentRepositoryContract {

    private final PostgresConsentRepository repository;

    PostgresConsentRepositoryContractTest(DataSource dataSource) {
        this.repository = new PostgresConsentRepository(dataSource);
    }

    @Override
    protected ConsentRepository repository() {
        return repository;
    }
}
