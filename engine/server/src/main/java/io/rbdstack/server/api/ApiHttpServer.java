package io.rbdstack.server.api;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * The Jetty server of the API: one connector within {@link HttpLimits}, {@link ApiHttpHandler}
 * behind a {@link GracefulHandler} (in-flight requests finish on stop, for up to the stop timeout)
 * and {@link ApiErrorHandler} for whatever Jetty refuses on its own.
 */
public final class ApiHttpServer {

    private ApiHttpServer() {
    }

    /** Not started; its only connector listens on {@code address:port} (0: any free port). */
    public static Server create(String address, int port, ApiDispatcher dispatcher) {
        return create(address, port, dispatcher, HttpLimits.DEFAULT);
    }

    static Server create(String address, int port, ApiDispatcher dispatcher, HttpLimits limits) {
        Server server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        limits.applyTo(http);
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(address);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new GracefulHandler(new ApiHttpHandler(dispatcher, limits)));
        server.setErrorHandler(new ApiErrorHandler(limits));
        return server;
    }
}
