package io.rbdstack.server.api;

import java.util.Optional;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's error handler for the whole server: whatever Jetty refuses on its own (a URL or headers
 * over {@link HttpLimits}, a request it cannot parse, a path nothing serves) or an exception that
 * escapes a handler is answered with CloudStack's error envelope, in JSON when the query asks for
 * it, else XML. Never Jetty's HTML page, which names the exception's class.
 */
public final class ApiErrorHandler implements Request.Handler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrorHandler.class);

    private final HttpLimits limits;

    public ApiErrorHandler(HttpLimits limits) {
        this.limits = limits;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Throwable cause = (Throwable) request.getAttribute(ErrorHandler.ERROR_EXCEPTION);
        int status = cause instanceof HttpException http ? http.getCode() : response.getStatus();
        ApiReply reply = replyFor(status, cause, FormDecoder.requestedFormat(query(request), null));
        response.setStatus(reply.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.format().contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (request.getMethod().equals("HEAD")) {
            callback.succeeded();
        } else {
            Content.Sink.write(response, true, reply.body(), callback);
        }
        return true;
    }

    /**
     * CloudStack's codes where one fits: 430 for a request that cannot be parsed, 431 for one over a
     * limit, 530 (an incident) for an exception; any other status (404 for a path nothing serves)
     * keeps its code, with its reason as the text.
     */
    ApiReply replyFor(int status, Throwable cause, ResponseFormat format) {
        ApiException error = switch (status) {
            case HttpStatus.BAD_REQUEST_400 -> ApiException.malformed("Malformed HTTP request: it could not be parsed");
            case HttpStatus.URI_TOO_LONG_414 -> tooLarge("Request URL longer than the " + limits.maxRequestHeadBytes()
                    + " bytes this server accepts; send the parameters as a POSTed form");
            case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431 -> tooLarge("Request headers larger than the "
                    + limits.maxRequestHeadBytes() + " bytes this server accepts");
            case HttpStatus.PAYLOAD_TOO_LARGE_413 -> tooLarge(formTooLarge(limits));
            case HttpStatus.INTERNAL_SERVER_ERROR_500 -> Incident.report(LOG, "HTTP request",
                    "Internal error handling the request", cause);
            default -> null;
        };
        if (error != null) {
            return ApiDispatcher.error(format, "errorresponse", error);
        }
        String reason = Optional.ofNullable(HttpStatus.getMessage(status)).orElse("HTTP error");
        return ApiDispatcher.error(format, "errorresponse", status, 0, reason);
    }

    static String formTooLarge(HttpLimits limits) {
        return "Request body larger than the " + limits.maxFormBytes() + " bytes this server accepts";
    }

    static ApiException tooLarge(String message) {
        return new ApiException(ApiErrorCode.PARAM_ERROR, ApiException.CS_SERVER_API, message);
    }

    private static String query(Request request) {
        try {
            return request.getHttpURI() == null ? null : request.getHttpURI().getQuery();
        } catch (RuntimeException unparsed) {
            return null; // a request Jetty could not parse may have no usable URI: XML then
        }
    }
}
