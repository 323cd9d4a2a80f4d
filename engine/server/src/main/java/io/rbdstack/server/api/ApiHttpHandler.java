package io.rbdstack.server.api;

import java.io.IOException;
import java.io.InputStream;
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

/**
 * Jetty's side of /client/api: turns the HTTP exchange into an {@link ApiRequest} and back. It reads
 * the query and the form itself, strictly and within {@link HttpLimits}, so that a request whose
 * parameters cannot be read gets CloudStack's 430 or 431 instead of an exception from Jetty's parser.
 */
public final class ApiHttpHandler extends Handler.Abstract {

    public static final String PATH = "/client/api";
    static final String SESSION_COOKIE = "JSESSIONID";
    static final String SESSION_KEY_COOKIE = "sessionkey";

    private final ApiDispatcher dispatcher;
    private final HttpLimits limits;

    public ApiHttpHandler(ApiDispatcher dispatcher, HttpLimits limits) {
        this.dispatcher = dispatcher;
        this.limits = limits;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!path.equals(PATH) && !path.equals(PATH + "/")) {
            return false;
        }
        String query = request.getHttpURI().getQuery();
        byte[] form = null;
        ApiReply reply;
        try {
            Map<String, String> params = new LinkedHashMap<>();
            FormDecoder.decodeQuery(query, params);
            String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            if (FormDecoder.isForm(contentType)) {
                // Read before the charset is checked, so an error can still answer in the format asked for.
                form = readForm(request);
                FormDecoder.decode(form, FormDecoder.formCharset(contentType), params);
            }
            Optional<String> session = Request.getCookies(request).stream()
                    .filter(c -> c.getName().equals(SESSION_COOKIE)).map(HttpCookie::getValue).findFirst();
            reply = dispatcher.dispatch(new ApiRequest(request.getMethod(), params, session,
                    Request.getRemoteAddr(request)));
        } catch (ApiException unreadable) {
            // The parameters could not be read, the command included: CloudStack's errorresponse.
            reply = ApiDispatcher.error(FormDecoder.requestedFormat(query, form), "errorresponse", unreadable);
        }
        response.setStatus(reply.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.format().contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        reply.cookies().ifPresent(c -> setCookies(response, c, request.isSecure()));
        Content.Sink.write(response, true, reply.body(), callback);
        return true;
    }

    /** The form body, refused with 431 past {@link HttpLimits#maxFormBytes()} before or while reading it. */
    private byte[] readForm(Request request) throws IOException {
        int max = limits.maxFormBytes();
        if (request.getLength() > max) {
            throw ApiErrorHandler.tooLarge(ApiErrorHandler.formTooLarge(limits));
        }
        // Left open: Jetty consumes or discards what is left unread when the exchange completes.
        InputStream body = Request.asInputStream(request);
        byte[] form;
        try {
            form = body.readNBytes(max + 1);
        } catch (IOException e) {
            // The client went away or stalled mid-body: its problem, not an internal fault to log as one.
            throw ApiException.malformed("The request body could not be read to its end");
        }
        if (form.length > max) {
            throw ApiErrorHandler.tooLarge(ApiErrorHandler.formTooLarge(limits));
        }
        return form;
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
