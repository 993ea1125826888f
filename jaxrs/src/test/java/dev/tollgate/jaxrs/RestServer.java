package dev.tollgate.jaxrs;

/** An embedded Jakarta REST server on a random port. */
public interface RestServer extends AutoCloseable {

    /** @return the port */
    int port();

    @Override
    void close() throws Exception;
}
