package io.rbdstack.server.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** Jetty's side of /client/api: turns the HTTP exchange into an {@link ApiRequest} and back. */
public final class ApiHttpHandler extends Handler.Abstract {

    public static final String PATH = "/client/api";
    static final String SESSION_COOKIE = "JSESSIONID";
    static final String SESSION_KEY_COOKIE = "sessionkey";

    private final ApiDispatcher dispatcher;

    public ApiHttpHandler(ApiDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!path.equals(PATH) && !path.equals(PATH + "/")) {
            return false;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (Fields.Field field : Request.getParameters(request)) {
            // CloudStack takes the last value of a repeated parameter.
            params.put(field.getName(), field.getValues().get(field.getValues().size() - 1));
        }
        Optional<String> session = Request.getCookies(request).stream()
                .filter(c -> c.getName().equals(SESSION_COOKIE)).map(HttpCookie::getValue).findFirst();
        ApiReply reply = dispatcher.dispatch(new ApiRequest(request.getMethod(), params, session,
                Request.getRemoteAddr(request)));
        response.setStatus(reply.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.format().contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        reply.cookies().ifPresent(c -> setCookies(response, c, request.isSecure()));
        Content.Sink.write(response, true, reply.body(), callback);
        return true;
    }

    /** Strict: no other site's page can make a browser send them; Secure over HTTPS, so never sent in clear. */
    private static void setCookies(Response response, ApiReply.SessionCookies cookies, boolean secure) {
        boolean clear = cookies.sessionId() == null;
        Response.addCookie(response, HttpCookie.build(SESSION_COOKIE, clear ? "" : cookies.sessionId())
                .path("/client").httpOnly(true).secure(secure).sameSite(HttpCookie.SameSite.STRICT)
                .maxAge(clear ? 0 : -1).build());
        Response.addCookie(response, HttpCookie.build(SESSION_KEY_COOKIE, clear ? "" : cookies.sessionKey())
                .path("/client").httpOnly(true).secure(secure).sameSite(HttpCookie.SameSite.STRICT)
                .maxAge(clear ? 0 : -1).build());
    }
}
