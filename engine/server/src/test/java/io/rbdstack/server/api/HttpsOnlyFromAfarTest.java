package io.rbdstack.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eclipse.jetty.http.HttpTester;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Plain HTTP from another machine is sent to HTTPS, with its path, query and method kept (308). */
class HttpsOnlyFromAfarTest {

    private final Server server = new Server();

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void aRemoteClientOnPlainHttpIsRedirectedToTheHttpsPort() throws Exception {
        // A local connector's peer address is 0.0.0.0: not loopback, like a client on the network.
        LocalConnector connector = new LocalConnector(server);
        server.addConnector(connector);
        server.setHandler(new HttpsOnlyFromAfar(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                callback.succeeded();
                return true;
            }
        }, () -> 8443));
        server.start();

        HttpTester.Response response = HttpTester.parseResponse(connector.getResponse(
                "POST /client/api?command=login HTTP/1.1\r\nHost: ms.example.com:8080\r\nContent-Length: 0\r\n\r\n"));

        assertEquals(308, response.getStatus());
        assertEquals("https://ms.example.com:8443/client/api?command=login", response.get("Location"));
    }
}
