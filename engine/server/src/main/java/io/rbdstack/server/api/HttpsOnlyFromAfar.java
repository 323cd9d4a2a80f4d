package io.rbdstack.server.api;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.IntSupplier;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Serves plain HTTP to loopback clients only (a local user, scripts/run.sh); a request over plain
 * HTTP from any other address is redirected to the HTTPS port (308 keeps the method and body), so
 * passwords and session keys from elsewhere are never answered in clear text.
 */
final class HttpsOnlyFromAfar extends Handler.Wrapper {

    private final IntSupplier httpsPort;

    HttpsOnlyFromAfar(Handler handler, IntSupplier httpsPort) {
        super(handler);
        this.httpsPort = httpsPort;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.isSecure() || isLoopback(Request.getRemoteAddr(request))) {
            return super.handle(request, response, callback);
        }
        String location = HttpURI.build(request.getHttpURI()).scheme("https").port(httpsPort.getAsInt()).asString();
        Response.sendRedirect(request, response, callback, HttpStatus.PERMANENT_REDIRECT_308, location, true);
        return true;
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress(); // a literal: no name lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
