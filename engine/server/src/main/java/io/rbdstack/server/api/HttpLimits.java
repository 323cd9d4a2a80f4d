package io.rbdstack.server.api;

import org.eclipse.jetty.server.HttpConfiguration;

/**
 * The API port's HTTP limits, all in one place. A request over one is answered with CloudStack's
 * 431 envelope ({@link ApiErrorHandler} for the ones Jetty enforces, {@link ApiHttpHandler} for the
 * form body), never with a servlet error page.
 *
 * @param maxRequestHeadBytes the request line (so the URL with its query) and all headers together:
 *                            Jetty refuses a longer URL with 414 and longer headers with 431
 * @param maxFormBytes        a POSTed form body
 */
public record HttpLimits(int maxRequestHeadBytes, int maxFormBytes) {

    /**
     * 64 KiB of URL and headers: CloudStack clients put every parameter of a GET in its query, and a
     * signed GET carrying user data as long as CloudStack's default vm.userdata.max.length (32 KiB
     * of base64, more once %-escaped) must fit. 1 MiB of form: the most user data CloudStack takes
     * by POST (vm.userdata.max.length's maximum), with room for the other fields.
     */
    public static final HttpLimits DEFAULT = new HttpLimits(64 * 1024, 1024 * 1024);

    public HttpLimits {
        if (maxRequestHeadBytes < 1024 || maxFormBytes < 1024) {
            throw new IllegalArgumentException("HTTP limits below 1 KiB: " + maxRequestHeadBytes + ", " + maxFormBytes);
        }
    }

    /** Sets the limits Jetty enforces before a request reaches a handler. */
    public void applyTo(HttpConfiguration http) {
        http.setRequestHeaderSize(maxRequestHeadBytes);
        // Jetty's own version is nothing a client needs, and one less thing to tell an attacker.
        http.setSendServerVersion(false);
    }
}
