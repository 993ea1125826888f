package dev.tollgate.legal;

/** The in-memory repository keeps the repository contract. */
class InMemoryLegalRepositoryTest extends LegalRepositoryContract {

    private final InMemoryLegalRepository repository = new InMemoryLegalRepository();

    @Override
    protected LegalRepository repository() {
        return repository;
    }
}
