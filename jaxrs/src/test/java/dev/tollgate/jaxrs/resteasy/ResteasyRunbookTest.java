package dev.tollgate.jaxrs.resteasy;

import dev.tollgate.jaxrs.JaxrsRunbookContract;
import dev.tollgate.jaxrs.RestServer;
import dev.tollgate.jaxrs.TollgateFeature;
import jakarta.ws.rs.core.Application;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jboss.resteasy.plugins.server.servlet.HttpServlet30Dispatcher;

/**
 * The runbook on RESTEasy 6.2, as a servlet on embedded Jetty 12. RESTEasy takes providers from a {@code Feature} but
 * not resources: the application lists {@link TollgateFeature#components()} in {@code getSingletons()}.
 */
class ResteasyRunbookTest extends JaxrsRunbookContract {

    @Override
    protected Set<Object> tollgateSingletons(TollgateFeature tollgate) {
        return tollgate.components();
    }

    private static volatile Application current;

    /** The application class RESTEasy instantiates from its init parameter: the one under test. */
    public static final class CurrentApplication extends Application {
        @Override
        public Set<Object> getSingletons() {
            return current.getSingletons();
        }
    }

    @Override
    protected RestServer start(Application application) throws Exception {
        current = application;
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder resteasy = new ServletHolder(new HttpServlet30Dispatcher());
        resteasy.setInitParameter("jakarta.ws.rs.Application", CurrentApplication.class.getName());
        context.addServlet(resteasy, "/*");
        server.setHandler(context);
        server.start();
        return new RestServer() {
            @Override
            public int port() {
                return connector.getLocalPort();
            }

            @Override
            public void close() throws Exception {
                server.stop();
            }
        };
    }
}
