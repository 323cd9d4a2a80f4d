package io.rbdstack.server.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rbdstack.server.FreshServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web UI as the real management server serves it from the class path (the UI build's output in
 * target/classes/rbdstack-ui): paths, content types, caching and security headers, next to /client/api.
 */
class UiServingIT {

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();
    static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static String origin;
    /** The hashed script index.html loads, e.g. /client/assets/index-PP-XBd44.js. */
    static String script;

    @BeforeAll
    static void findScript() throws Exception {
        origin = "http://127.0.0.1:" + cloud.management().httpPort();
        HttpResponse<String> index = get("/client/");
        assertEquals(200, index.statusCode(), "/client/: the UI must be on the class path (built without -Dui.skip)");
        Matcher m = Pattern.compile("src=\"(/client/assets/[^\"]+\\.js)\"").matcher(index.body());
        assertTrue(m.find(), "index.html loads a script under /client/assets/");
        script = m.group(1);
    }

    static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(origin + path));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Test
    void theRootAndClientWithoutSlashRedirectToTheUi() throws Exception {
        for (String path : new String[] {"/", "/client"}) {
            HttpResponse<String> response = get(path);
            assertEquals(302, response.statusCode(), path);
            assertTrue(header(response, "Location").endsWith("/client/"), header(response, "Location"));
        }
    }

    @Test
    void indexHtmlIsRevalidatedEveryTimeAndCarriesTheSecurityHeaders() throws Exception {
        HttpResponse<String> response = get("/client/");
        assertEquals(200, response.statusCode());
        assertTrue(header(response, "Content-Type").startsWith("text/html"), header(response, "Content-Type"));
        assertEquals("no-cache", header(response, "Cache-Control"));
        String csp = header(response, "Content-Security-Policy");
        assertTrue(csp.contains("script-src 'self';"), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        assertTrue(csp.contains("connect-src 'self'"), csp);
        assertEquals("nosniff", header(response, "X-Content-Type-Options"));
        assertEquals("DENY", header(response, "X-Frame-Options"));
        assertTrue(response.body().contains("<div id=\"app\">"), response.body());
    }

    @Test
    void appRoutesAnswerIndexHtml() throws Exception {
        String index = get("/client/").body();
        for (String route : new String[] {"/client/storage", "/client/storage/add", "/client/login"}) {
            HttpResponse<String> response = get(route);
            assertEquals(200, response.statusCode(), route);
            assertEquals(index, response.body(), route);
            assertEquals("no-cache", header(response, "Cache-Control"), route);
        }
    }

    @Test
    void hashedAssetsAreCachedForAYearWithTheirContentType() throws Exception {
        HttpResponse<String> response = get(script);
        assertEquals(200, response.statusCode());
        assertTrue(header(response, "Content-Type").startsWith("text/javascript")
                || header(response, "Content-Type").startsWith("application/javascript"), header(response, "Content-Type"));
        assertEquals("public, max-age=31536000, immutable", header(response, "Cache-Control"));
        assertEquals("nosniff", header(response, "X-Content-Type-Options"));
    }

    @Test
    void aBrowserThatTakesGzipGetsThePrecompressedFileWithTheSameContent() throws Exception {
        byte[] plain = HTTP.send(HttpRequest.newBuilder(URI.create(origin + script)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
        HttpResponse<byte[]> gzipped = HTTP.send(HttpRequest.newBuilder(URI.create(origin + script))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals("gzip", header(gzipped, "Content-Encoding"));
        assertTrue(gzipped.body().length < plain.length, "compressed is smaller");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            assertArrayEquals(plain, in.readAllBytes());
        }
    }

    @Test
    void aMissingFileIs404NeverIndexHtml() throws Exception {
        for (String path : new String[] {"/client/assets/missing.js", "/client/favicon.ico", "/client/assets/x",
                "/elsewhere"}) {
            HttpResponse<String> response = get(path);
            assertEquals(404, response.statusCode(), path);
            assertTrue(!response.body().contains("<div id=\"app\">"), path);
            assertTrue(!String.valueOf(header(response, "Cache-Control")).contains("max-age"), path + " not cached");
        }
    }

    @Test
    void noDirectoryIsListedAndNoPathEscapesTheUi() throws Exception {
        HttpResponse<String> directory = get("/client/assets/");
        assertTrue(directory.statusCode() == 403 || directory.statusCode() == 404, "status " + directory.statusCode());
        assertTrue(!directory.body().contains("vendor-"), directory.body());
        assertTrue(get("/client/..%2F..%2Flogback.xml").statusCode() >= 400);
        assertEquals(404, get("/client/logback.xml").statusCode());
    }

    @Test
    void theApiStaysTheApi() throws Exception {
        HttpResponse<String> response = get("/client/api?command=listApis&response=json");
        assertEquals(401, response.statusCode());
        assertTrue(response.body().contains("errorcode"), response.body());
        assertEquals(null, header(response, "Content-Security-Policy"));
    }
}
