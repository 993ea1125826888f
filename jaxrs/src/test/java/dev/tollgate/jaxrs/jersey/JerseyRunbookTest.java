package dev.tollgate.jaxrs.jersey;

import dev.tollgate.jaxrs.JaxrsRunbookContract;
import dev.tollgate.jaxrs.RestServer;
import jakarta.ws.rs.core.Application;
import java.net.URI;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.jersey.grizzly2.httpserver.GrizzlyHttpServerFactory;
import org.glassfish.jersey.server.ResourceConfig;

/** The runbook on Jersey 3.1, the reference implementation, on its Grizzly HTTP server. */
class JerseyRunbookTest extends JaxrsRunbookContract {

    @Override
    protected RestServer start(Application application) {
        HttpServer server = GrizzlyHttpServerFactory.createHttpServer(URI.create("http://127.0.0.1:0/"),
                ResourceConfig.forApplication(application));
        NetworkListener listener = server.getListeners().iterator().next();
        return new RestServer() {
            @Override
            public int port() {
                return listener.getPort();
            }

            @Override
            public void close() {
                server.shutdownNow();
            }
        };
    }
}
