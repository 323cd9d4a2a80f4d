package io.rbdstack.storage.rbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.rbdstack.storage.rbd.agent.CephMonitor;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * URLs built the way CloudStack's UI builds them (apache/cloudstack ui/src/views/infra), sent the
 * way it sends them, and parsed.
 *
 * <p>The UI's {@code rbdURL(monitor, pool, id, secret)} turns the secret into URL-safe base64
 * ('+' to '-', '/' to '_'). Its comment says why: "otherwise we'll confuse java.net.URI". It leaves
 * the '=' padding alone, builds {@code rbd://id:secret@monitor/pool}, and adds a '/' before the pool
 * if there is none. AddPrimaryStorage.vue replaces every occurrence with a global regex (the
 * apache/cloudstack#4392 fix for #4147). ZoneWizardLaunchZone.vue uses String.replace with a string
 * pattern, which replaces only the FIRST '+' and the FIRST '/', so its secrets mix both alphabets.
 * The url then travels as a form parameter (createStoragePool, POST or GET), which the server
 * decodes, so the parser sees rbdURL's output unchanged.
 */
class CloudStackUiRoundTripTest {

    /** Like AddPrimaryStorage.vue's rbdURL, after apache/cloudstack#4392. */
    static String addPrimaryStorageUrl(String monitor, String pool, String id, String secret) {
        return rbdUrl(monitor, pool, id, secret.replace('+', '-').replace('/', '_'));
    }

    /** Like ZoneWizardLaunchZone.vue's rbdURL: JavaScript's replace('+', '-') changes the first match only. */
    static String zoneWizardUrl(String monitor, String pool, String id, String secret) {
        return rbdUrl(monitor, pool, id, secret.replaceFirst("\\+", "-").replaceFirst("/", "_"));
    }

    private static String rbdUrl(String monitor, String pool, String id, String urlSafeSecret) {
        String userAndMonitor = id + ":" + urlSafeSecret + "@" + monitor;
        String path = pool.startsWith("/") ? pool : "/" + pool;
        return userAndMonitor.contains("://") ? userAndMonitor + path : "rbd://" + userAndMonitor + path;
    }

    /** The form encoding on the way to the server and the servlet's decoding on arrival. */
    private static String sentAsFormParameter(String url) {
        String onTheWire = URLEncoder.encode(url, StandardCharsets.UTF_8);
        return URLDecoder.decode(onTheWire, StandardCharsets.UTF_8);
    }

    static Stream<Arguments> uiInputs() {
        List<String> monitorFields = List.of("10.0.0.1", "10.0.0.1,10.0.0.2,10.0.0.3:6789", "ceph-mon.example.com",
                "[2001:db8::10]:3300");
        List<String> expectedMonHosts = List.of("10.0.0.1:6789", "10.0.0.1:6789,10.0.0.2:6789,10.0.0.3:6789",
                "ceph-mon.example.com:6789", "[2001:db8::10]:3300");
        List<Arguments> cases = new ArrayList<>();
        for (String key : CephxTestKeys.ALL) {
            for (int i = 0; i < monitorFields.size(); i++) {
                String pool = i % 2 == 0 ? "rbd" : "/rbd";
                cases.add(arguments(key, monitorFields.get(i), pool, expectedMonHosts.get(i)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "add primary storage: {1} {2} {0}")
    @MethodSource("uiInputs")
    void addPrimaryStorageDialog(String key, String monitorField, String poolField, String expectedMonHost)
            throws Exception {
        String url = sentAsFormParameter(addPrimaryStorageUrl(monitorField, poolField, "cloudstack", key));
        String userInfo = url.substring("rbd://".length(), url.lastIndexOf('@'));
        assertFalse(userInfo.contains("+") || userInfo.contains("/"), "no '+' and no '/' before the '@'");
        assertParsed(url, key, expectedMonHost);
    }

    @ParameterizedTest(name = "zone wizard: {1} {2} {0}")
    @MethodSource("uiInputs")
    void zoneWizardWithItsFirstOnlyReplacement(String key, String monitorField, String poolField, String expectedMonHost)
            throws Exception {
        String url = sentAsFormParameter(zoneWizardUrl(monitorField, poolField, "cloudstack", key));
        assertParsed(url, key, expectedMonHost);
    }

    @ParameterizedTest(name = "encodeURIComponent: {1} {2} {0}")
    @MethodSource("uiInputs")
    void aClientThatPercentEncodesTheSecret(String key, String monitorField, String poolField, String expectedMonHost)
            throws Exception {
        // What the UI does for PowerFlex: encodeURIComponent(password), which gives %2B, %2F and %3D.
        String encoded = URLEncoder.encode(key, StandardCharsets.UTF_8);
        String url = sentAsFormParameter(rbdUrl(monitorField, poolField, "cloudstack", encoded));
        assertParsed(url, key, expectedMonHost);
    }

    private static void assertParsed(String url, String key, String expectedMonHost) throws Exception {
        RbdPoolDefinition definition = RbdUrlParser.parse(url, null);
        assertEquals(key, definition.cephKey().reveal());
        assertEquals("cloudstack", definition.cephUser());
        assertEquals("rbd", definition.cephPool());
        assertEquals(expectedMonHost,
                definition.monitors().stream().map(CephMonitor::monHostEntry).collect(Collectors.joining(",")));
    }
}
