package io.rbdstack.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API over HTTPS with the certificate the built-in CA issued at start, checked by an
 * independent client (curl, trusting only the CA from listCaCertificate): HSTS, session cookies
 * HttpOnly, SameSite=Strict and Secure; over loopback HTTP the same cookies without Secure.
 */
class HttpsApiIT {

    @RegisterExtension
    static final FreshServer cloud = new FreshServer();

    @TempDir
    static Path dir;
    static Path caFile;
    static Path loginForm;

    @BeforeAll
    static void saveTheCa() throws Exception {
        String pem = cloud.admin().call("listCaCertificate").response("listCaCertificate").get("cacertificates")
                .get("certificate").asText();
        caFile = Files.writeString(dir.resolve("ca.pem"), pem);
        // The form in a file, so the password is on no command line.
        loginForm = Files.writeString(dir.resolve("login.form"), "command=login&username=admin&password="
                + TestServer.ADMIN_PASSWORD + "&response=json");
    }

    @Test
    void curlTrustingOnlyTheCaLogsInOverHttpsWithStrictSecureCookiesAndHsts() throws Exception {
        for (String host : List.of("127.0.0.1", "localhost")) {
            Curl reply = curl("--cacert", caFile.toString(), "--data-binary", "@" + loginForm,
                    "https://" + host + ":" + cloud.management().httpsPort() + "/client/api");
            assertEquals(0, reply.exit(), host + ": " + reply.output());
            assertTrue(reply.headers().startsWith("http/1.1 200"), reply.output());
            assertTrue(reply.headers().contains("strict-transport-security: max-age=31536000"), reply.output());
            for (String cookie : List.of("jsessionid=", "sessionkey=")) {
                String line = reply.headerLine("set-cookie: " + cookie);
                assertTrue(line.contains("; secure") && line.contains("; httponly") && line.contains("samesite=strict"),
                        line);
            }
            assertTrue(reply.body().contains("\"sessionkey\""), reply.body());
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCaRefusesTheServer() throws Exception {
        Curl reply = curl("--data-binary", "@" + loginForm,
                "https://127.0.0.1:" + cloud.management().httpsPort() + "/client/api");
        assertEquals(60, reply.exit(), "curl: peer certificate cannot be authenticated: " + reply.output());
    }

    @Test
    void loopbackHttpStillServesTheApiWithStrictCookiesButNoHsts() throws Exception {
        Curl reply = curl("--data-binary", "@" + loginForm, cloud.baseUrl());
        assertEquals(0, reply.exit(), reply.output());
        assertTrue(reply.headers().startsWith("http/1.1 200"), reply.output());
        assertFalse(reply.headers().contains("strict-transport-security"), reply.output());
        String line = reply.headerLine("set-cookie: jsessionid=");
        assertTrue(line.contains("samesite=strict") && line.contains("httponly"), line);
        assertFalse(line.contains("; secure"), line);
    }

    @Test
    void theTlsEndpointSpeaksTls13() throws Exception {
        Curl reply = curl("--cacert", caFile.toString(), "--tlsv1.3", "-o", "/dev/null", "-w", "%{http_code}",
                "https://127.0.0.1:" + cloud.management().httpsPort() + "/client/api?command=listCapabilities");
        assertEquals(0, reply.exit(), reply.output());
        assertNotEquals("000", reply.output().strip());
    }

    /** curl's exit code, and its output: headers (lower-cased) then body. */
    private record Curl(int exit, String output) {
        String headers() {
            int end = output.indexOf("\r\n\r\n");
            return (end < 0 ? output : output.substring(0, end)).toLowerCase(Locale.ROOT);
        }

        String body() {
            int end = output.indexOf("\r\n\r\n");
            return end < 0 ? "" : output.substring(end + 4);
        }

        String headerLine(String prefix) {
            return headers().lines().filter(line -> line.startsWith(prefix)).findFirst()
                    .orElseThrow(() -> new AssertionError("no header " + prefix + " in " + output));
        }
    }

    private static Curl curl(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "-i", "--max-time", "10"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("curl did not finish");
        }
        return new Curl(process.exitValue(), output);
    }
}
