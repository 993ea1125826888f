package dev.tollgate.legal;

import dev.tollgate.testkit.postgres.TollgatePostgres;
import javax.sql.DataSource;

/** The PostgreSQL repository keeps the repository contract (one database shared by the class's tests). */
@TollgatePostgres
class PostgresLegalRepositoryContractTest extends LegalRepositoryContract {

    private final PostgresLegalRepository repository;

    PostgresLegalRepositoryContractTest(DataSource dataSource) {
        this.repository = new PostgresLegalRepository(dataSource);
    }

    @Override
    protected LegalRepository repository() {
        return repository;
    }
}
