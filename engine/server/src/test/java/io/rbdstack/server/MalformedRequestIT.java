package io.rbdstack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.w3c.dom.Element;

/**
 * Requests that cannot be read, or are over the HTTP limits, sent byte for byte to the real server:
 * each gets CloudStack's error envelope in the format asked for (XML when that cannot be read), never
 * Jetty's HTML page nor a Java class name. And response=xml stays well-formed over HTTP.
 */
class MalformedRequestIT {

    /** What must never reach a client: Jetty's page, class and package names, SQL. */
    private static final Pattern INTERNALS = Pattern.compile(
            "<html|Exception|org\\.eclipse|java\\.|jetty|io\\.rbdstack|\\bSQL|\\bat [a-z]+\\.", Pattern.CASE_INSENSITIVE);

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();
    static RawHttp http;

    @BeforeAll
    static void start() throws Exception {
        http = new RawHttp(cloud.management().httpPort());
    }

    @Test
    void aBadPercentEscapeInTheQueryIs430InJsonWhenJsonWasAskedFor() throws Exception {
        JsonNode error = json(get("/client/api?command=listZones&name=%zz&response=json"), 430);
        assertEquals(9999, error.get("cserrorcode").asInt());
        assertEquals("Unable to decode parameter name: it holds a % that is not followed by two hex digits",
                error.get("errortext").asText());
    }

    @Test
    void aBadPercentEscapeWithoutResponseJsonIsAnsweredInXml() throws Exception {
        Element error = xml(get("/client/api?command=listZones&name=abc%2"), 430);
        assertEquals("Unable to decode parameter name: it holds a % that is not followed by two hex digits",
                text(error, "errortext"));
    }

    @Test
    void percentEscapedBytesThatAreNotUtf8Are430() throws Exception {
        JsonNode error = json(get("/client/api?command=listZones&response=json&keyword=%C3%28"), 430);
        assertEquals("Unable to decode parameter keyword: it holds bytes that are not valid UTF-8",
                error.get("errortext").asText());
    }

    @Test
    void rawBytesThatAreNotUtf8InTheUrlAre430() throws Exception {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.writeBytes(ascii("GET /client/api?command=listZones&response=json&name=caf"));
        head.write(0xFF);
        head.writeBytes(ascii(" HTTP/1.1\r\nHost: localhost"));
        JsonNode error = json(http.exchange(head.toByteArray(), new byte[0]), 430);
        assertEquals("Unable to decode parameter name: it holds bytes that are not valid UTF-8",
                error.get("errortext").asText());
    }

    @Test
    void aPostedFormWithBytesThatAreNotUtf8Is430InTheFormatItAskedFor() throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("command=listZones&response=json&name=caf".getBytes(StandardCharsets.US_ASCII));
        body.write(0xE9); // Latin-1 é sent raw in a form that says nothing, so UTF-8
        JsonNode error = json(post(FORM, body.toByteArray()), 430);
        assertEquals("Unable to decode parameter name: it holds bytes that are not valid UTF-8",
                error.get("errortext").asText());
    }

    @Test
    void aPostedFormWithABadPercentEscapeIs430() throws Exception {
        JsonNode error = json(post(FORM, ascii("command=login&username=admin&password=%G0&response=json")), 430);
        assertTrue(error.get("errortext").asText().startsWith("Unable to decode parameter password"), error.toString());
    }

    @Test
    void anUnknownCharsetInTheContentTypeIs430() throws Exception {
        JsonNode error = json(post(FORM + "; charset=x-no-such-charset",
                ascii("command=listZones&response=json")), 430);
        assertEquals("Unsupported charset 'x-no-such-charset' in the Content-Type of the request; send UTF-8",
                error.get("errortext").asText());
    }

    @Test
    void aFormInTheCharsetItNamesIsRead() throws Exception {
        // Not logged in: the 401 shows the form was decoded (as Latin-1) and reached authentication.
        RawHttp.Response reply = post(FORM + "; charset=ISO-8859-1", ascii("command=listZones&response=json&name=caf%E9"));
        assertEquals(401, reply.status(), reply.body());
    }

    @Test
    void aUrlOverTheLimitIs431InsteadOfJettysPage() throws Exception {
        RawHttp.Response reply = get("/client/api?command=listZones&response=json&name=" + "a".repeat(70_000));
        envelope(reply, 431);
        assertTrue(reply.body().contains("Request URL longer than the 65536 bytes this server accepts"), reply.body());
    }

    @Test
    void headersOverTheLimitAre431() throws Exception {
        RawHttp.Response reply = http.exchange("GET /client/api?command=listZones&response=json HTTP/1.1\r\n"
                + "Host: localhost\r\nX-Padding: " + "p".repeat(70_000), new byte[0]);
        envelope(reply, 431);
        assertTrue(reply.body().contains("Request headers larger than the 65536 bytes"), reply.body());
    }

    @Test
    void aFormOverTheLimitIs431() throws Exception {
        byte[] body = ascii("command=listZones&name=" + "b".repeat(1_100_000));
        // Refused on its Content-Length, unread: only the query can ask for JSON.
        RawHttp.Response reply = http.exchange("POST /client/api?response=json HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: " + FORM + "\r\nContent-Length: " + body.length, body);
        JsonNode error = json(reply, 431);
        assertEquals("Request body larger than the 1048576 bytes this server accepts", error.get("errortext").asText());
    }

    @Test
    void aChunkedFormOverTheLimitIs431() throws Exception {
        ByteArrayOutputStream chunks = new ByteArrayOutputStream();
        byte[] chunk = ascii("c".repeat(64 * 1024));
        for (int i = 0; i < 20; i++) {
            chunks.writeBytes(ascii(Integer.toHexString(chunk.length) + "\r\n"));
            chunks.writeBytes(chunk);
            chunks.writeBytes(ascii("\r\n"));
        }
        chunks.writeBytes(ascii("0\r\n\r\n"));
        RawHttp.Response reply = http.exchange("POST /client/api?response=json HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: " + FORM + "\r\nTransfer-Encoding: chunked", chunks.toByteArray());
        JsonNode error = json(reply, 431);
        assertEquals("Request body larger than the 1048576 bytes this server accepts", error.get("errortext").asText());
    }

    @Test
    void aRequestJettyCannotParseIs430() throws Exception {
        RawHttp.Response reply = http.exchange("GET /client/api?command=listZones HTTP/1.1\r\nHost: localhost\r\n"
                + "This header has no colon", new byte[0]);
        Element error = xml(reply, 430);
        assertEquals("Malformed HTTP request: it could not be parsed", text(error, "errortext"));
    }

    @Test
    void aPathNothingServesIsAnEnvelopeToo() throws Exception {
        assertEquals("Not Found", text(xml(get("/no/such/page"), 404), "errortext"));
        assertEquals("Not Found", json(get("/no/such/page?response=json"), 404).get("errortext").asText());
    }

    @Test
    void xmlOverHttpStaysWellFormedWhateverAValueHolds() throws Exception {
        // Controls are refused as parameter values before they are stored, but U+FFFE and U+FFFF are
        // not, and XML 1.0 cannot carry them either.
        String nasty = "zone \uFFFE\uFFFF ]]> <b> & \uD83D\uDE00 end";
        Map<String, String> zone = new LinkedHashMap<>(Map.of("command", "createZone", "name", nasty, "dns1",
                "8.8.8.8", "internaldns1", "10.0.0.2", "networktype", "Advanced", "response", "json"));
        ApiClient.Reply created = cloud.admin().post(zone);
        assertEquals(200, created.status(), created.body());

        ApiClient.Reply listed = cloud.admin().call("listZones", "id",
                created.response("createZone").get("zone").get("id").asText(), "response", "xml");
        assertEquals(200, listed.status(), listed.body());
        Element root = parseXml(listed.body());
        String expected = "zone \uFFFD\uFFFD ]]> <b> & \uD83D\uDE00 end";
        assertEquals(expected, text(root, "name"));

        // An error text that repeats the caller's value is XML too.
        ApiClient.Reply refused = cloud.admin().call("updateConfiguration", "name", nasty, "value", "1",
                "response", "xml");
        assertEquals(431, refused.status(), refused.body());
        assertEquals("Invalid value '" + expected + "' for parameter name: no such configuration setting",
                text(parseXml(refused.body()), "errortext"));
    }

    private static final String FORM = "application/x-www-form-urlencoded";

    private static RawHttp.Response get(String target) throws Exception {
        return http.exchange("GET " + target + " HTTP/1.1\r\nHost: localhost", new byte[0]);
    }

    private static RawHttp.Response post(String contentType, byte[] body) throws Exception {
        return http.exchange("POST /client/api HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + body.length, body);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Status = errorcode, no internals; the body is checked further by {@link #json} or {@link #xml}. */
    private static void envelope(RawHttp.Response reply, int code) {
        assertEquals(code, reply.status(), reply.body());
        assertFalse(INTERNALS.matcher(reply.body()).find(), "internals in " + reply.body());
        assertEquals("no-store", reply.headers().get("cache-control"));
        assertFalse(reply.headers().getOrDefault("server", "").toLowerCase().contains("jetty"), reply.headers().toString());
        assertTrue(reply.body().contains("errorresponse"), reply.body());
    }

    private static JsonNode json(RawHttp.Response reply, int code) throws Exception {
        envelope(reply, code);
        assertEquals("application/json; charset=UTF-8", reply.contentType());
        JsonNode error = ApiClient.JSON.readTree(reply.body()).get("errorresponse");
        assertEquals(code, error.get("errorcode").asInt(), reply.body());
        assertEquals(0, error.get("uuidList").size());
        return error;
    }

    private static Element xml(RawHttp.Response reply, int code) throws Exception {
        envelope(reply, code);
        assertEquals("text/xml; charset=UTF-8", reply.contentType());
        Element root = parseXml(reply.body());
        assertEquals("errorresponse", root.getTagName());
        assertEquals(String.valueOf(code), text(root, "errorcode"));
        return root;
    }

    private static Element parseXml(String body) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)))
                .getDocumentElement();
    }

    private static String text(Element root, String tag) {
        return root.getElementsByTagName(tag).item(0).getTextContent();
    }
}
