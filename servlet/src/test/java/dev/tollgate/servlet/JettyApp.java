package dev.tollgate.servlet;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * An embedded Jetty 12 (Servlet 6) on a random port. The application registers Tollgate from a
 * {@link ServletContextListener}, as a service on any container would, and serves {@code /api/projects}: GET 200,
 * any other method 201, so that whatever passes the gate is visible.
 */
final class JettyApp implements AutoCloseable {

    private final Server server;
    private final int port;

    private JettyApp(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    static JettyApp start(Consumer<ServletContext> setUp) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        context.addEventListener(new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                setUp.accept(event.getServletContext());
            }
        });
        context.addServlet(new ServletHolder(new ProjectsServlet()), "/api/*");
        server.setHandler(context);
        server.start();
        return new JettyApp(server, connector.getLocalPort());
    }

    int port() {
        return port;
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** The application's own API behind the gate. */
    static final class ProjectsServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
            boolean read = "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
            response.setStatus(read ? 200 : 201);
            response.setContentType("application/json");
            Object decision = request.getAttribute(BillingGateFilter.DECISION_ATTRIBUTE);
            response.getOutputStream().write(("{\"ok\":true,\"gate\":\"" + decision + "\"}")
                    .getBytes(StandardCharsets.UTF_8));
        }
    }
}
