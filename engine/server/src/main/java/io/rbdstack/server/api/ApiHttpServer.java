package io.rbdstack.server.api;

import javax.net.ssl.SSLContext;
import io.rbdstack.server.ui.UiHandler;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The Jetty server of the API: a plain-HTTP connector (answered for loopback clients only, see
 * {@link HttpsOnlyFromAfar}) and an HTTPS one with HSTS, both within {@link HttpLimits};
 * {@link ApiHttpHandler}, then the web UI ({@link UiHandler}, at /client/), behind a {@link GracefulHandler}
 * (in-flight requests finish on stop, for up to the stop timeout) and {@link ApiErrorHandler} for
 * whatever Jetty refuses on its own.
 */
public final class ApiHttpServer {

    /** A browser that has seen the HTTPS port never tries plain HTTP for a year. */
    private static final long HSTS_MAX_AGE_SECONDS = 365L * 86_400;

    /** Where the two connectors listen; port 0 is any free port. */
    public record Addresses(String httpAddress, int httpPort, String httpsAddress, int httpsPort) {
    }

    private ApiHttpServer() {
    }

    /** Not started; {@link #httpConnector} and {@link #httpsConnector} find its connectors. */
    public static Server create(Addresses addresses, SSLContext tls, ApiDispatcher dispatcher) {
        return create(addresses, tls, dispatcher, HttpLimits.DEFAULT);
    }

    static Server create(Addresses addresses, SSLContext tls, ApiDispatcher dispatcher, HttpLimits limits) {
        Server server = new Server();
        HttpConfiguration plain = new HttpConfiguration();
        limits.applyTo(plain);
        ServerConnector http = new ServerConnector(server, new HttpConnectionFactory(plain));
        http.setHost(addresses.httpAddress());
        http.setPort(addresses.httpPort());
        server.addConnector(http);

        HttpConfiguration secure = new HttpConfiguration();
        limits.applyTo(secure);
        secure.setSecureScheme("https");
        // SNI is neither required nor matched against the certificate: clients may use any of its names.
        secure.addCustomizer(new SecureRequestCustomizer(false, false, HSTS_MAX_AGE_SECONDS, false));
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(tls);
        ServerConnector https = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"),
                new HttpConnectionFactory(secure));
        https.setHost(addresses.httpsAddress());
        https.setPort(addresses.httpsPort());
        server.addConnector(https);

        server.setHandler(new GracefulHandler(new HttpsOnlyFromAfar(
                new Handler.Sequence(new ApiHttpHandler(dispatcher, limits), new UiHandler()), https::getLocalPort)));
        server.setErrorHandler(new ApiErrorHandler(limits));
        return server;
    }

    public static ServerConnector httpConnector(Server server) {
        return (ServerConnector) server.getConnectors()[0];
    }

    public static ServerConnector httpsConnector(Server server) {
        return (ServerConnector) server.getConnectors()[1];
    }
}
