package dev.tollgate.consent;

/** The in-memory repository keeps the repository contract. */
class InMemoryConsentRepositoryTest extends ConsentRepositoryContract {

    private final InMemoryConsentRepository repository = new InMemoryConsentRepository();

    @Override
    protected ConsentRepository repository() {
        return repository;
    }
}
