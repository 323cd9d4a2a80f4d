package io.rbdstack.storage.rbd;

import static io.rbdstack.storage.rbd.CephxTestKeys.MANY_PLUSES;
import static io.rbdstack.storage.rbd.CephxTestKeys.MANY_SLASHES;
import static io.rbdstack.storage.rbd.CephxTestKeys.PLAIN;
import static io.rbdstack.storage.rbd.CephxTestKeys.SLASHES_AND_PLUSES;
import static io.rbdstack.storage.rbd.CephxTestKeys.assertNoPieceOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.rbdstack.storage.rbd.agent.CephMonitor;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RbdUrlParserTest {

    private static String monHost(RbdPoolDefinition definition) {
        return definition.monitors().stream().map(CephMonitor::monHostEntry).collect(Collectors.joining(","));
    }

    /** Every way a client writes a key: its form, the text, and the key Ceph printed. */
    static Stream<Arguments> secretsAsClientsWriteThem() {
        List<Arguments> cases = new ArrayList<>();
        for (String key : CephxTestKeys.ALL) {
            cases.add(arguments("standard " + key, key, key));
            cases.add(arguments("URL-safe, as CloudStack's UI sends it " + key, CephxTestKeys.urlSafe(key), key));
            cases.add(arguments("unpadded " + key, CephxTestKeys.unpadded(key), key));
            cases.add(arguments("URL-safe unpadded " + key, CephxTestKeys.unpadded(CephxTestKeys.urlSafe(key)), key));
            cases.add(arguments("percent-encoded " + key, CephxTestKeys.percentEncoded(key), key));
            cases.add(arguments("percent-encoded, lower-case hex " + key,
                    CephxTestKeys.percentEncoded(key).replace("%2F", "%2f").replace("%2B", "%2b").replace("%3D", "%3d"), key));
            cases.add(arguments("percent-encoded URL-safe " + key, CephxTestKeys.percentEncoded(CephxTestKeys.urlSafe(key)), key));
            cases.add(arguments("first '+' and '/' swapped only (zone wizard) " + key,
                    key.replaceFirst("\\+", "-").replaceFirst("/", "_"), key));
        }
        return cases.stream();
    }

    @Nested
    class Secrets {

        @ParameterizedTest(name = "{0}")
        @MethodSource("io.rbdstack.storage.rbd.RbdUrlParserTest#secretsAsClientsWriteThem")
        void theSecretNeverMovesWhereTheUrlIsCut(String form, String written, String key) throws Exception {
            RbdPoolDefinition definition = RbdUrlParser.parse(
                    "rbd://client.rbdstack:" + written + "@mon1,10.0.0.2,[2001:db8::3]:3300/rbd-pool", null);
            assertEquals("mon1:3300,10.0.0.2:3300,[2001:db8::3]:3300", monHost(definition));
            assertEquals("rbd-pool", definition.cephPool());
            assertEquals("rbdstack", definition.cephUser());
            assertEquals(key, definition.cephKey().reveal());
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("io.rbdstack.storage.rbd.RbdUrlParserTest#secretsAsClientsWriteThem")
        void theSameSecretsAsADetail(String form, String written, String key) throws Exception {
            RbdPoolDefinition definition = RbdUrlParser.parse("rbd://rbdstack@mon1/rbd", Map.of("secret", written));
            assertEquals(key, definition.cephKey().reveal());
            assertEquals("mon1:6789", monHost(definition));
        }

        @Test
        void standardAndUrlSafeSpellingsGiveEqualDefinitions() throws Exception {
            String url = "rbd://rbdstack:%s@mon1/rbd";
            assertEquals(RbdUrlParser.parse(url.formatted(SLASHES_AND_PLUSES), null),
                    RbdUrlParser.parse(url.formatted(CephxTestKeys.urlSafe(SLASHES_AND_PLUSES)), null));
        }

        /**
         * apache/cloudstack#4147 (2020): with "//" in the secret, pool add failed with a NULL user_info
         * and host_address, and the secret ended up in storage_pool.path. The UI of the time replaced
         * only the first '/' with '_' (JavaScript's String.replace with a string pattern), so the rest
         * of the secret reached java.net.URI with its '/'.
         */
        @Test
        void cloudStack4147DoubleSlashSecretAsThe2020UiSentIt() throws Exception {
            String sent = MANY_SLASHES.replaceFirst("\\+", "-").replaceFirst("/", "_");
            assertTrue(sent.contains("//"), "still has the doubled slash the issue was about");
            RbdPoolDefinition definition = RbdUrlParser.parse("rbd://user:" + sent + "@10.2.3.4/pool", null);
            assertEquals("user", definition.cephUser());
            assertEquals("10.2.3.4:6789", monHost(definition));
            assertEquals("pool", definition.cephPool());
            assertEquals(MANY_SLASHES, definition.cephKey().reveal());
        }

        /** apache/cloudstack#7673 (2023, 4.18): a real Ceph key with '/' broke the url parser. */
        @Test
        void cloudStack7673RealKeyWithSlashes() throws Exception {
            RbdPoolDefinition definition = RbdUrlParser.parse(
                    "rbd://cloudstack:" + SLASHES_AND_PLUSES + "@10.0.0.1,10.0.0.2,10.0.0.3:6789/cloudstack", null);
            assertEquals("10.0.0.1:6789,10.0.0.2:6789,10.0.0.3:6789", monHost(definition));
            assertEquals("cloudstack", definition.cephPool());
            assertEquals(SLASHES_AND_PLUSES, definition.cephKey().reveal());
        }

        /** Why java.net.URI is not used: it takes the secret's first '/' for the start of the path. */
        @Test
        void javaNetUriMisreadsSuchAUrl() throws Exception {
            URI uri = new URI("rbd://user:" + MANY_SLASHES + "@10.2.3.4/pool");
            assertNull(uri.getHost());
            assertNull(uri.getUserInfo());
            assertTrue(uri.getPath().endsWith("@10.2.3.4/pool"), "the secret's tail, the '@' and the monitor are in the path");
        }
    }

    @Nested
    class Monitors {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
                mon1                                | mon1:6789
                mon1,mon2                           | mon1:6789,mon2:6789
                mon1,mon2,mon3                      | mon1:6789,mon2:6789,mon3:6789
                mon1,mon2,mon3:6789                 | mon1:6789,mon2:6789,mon3:6789
                mon1,mon2,mon3:3300                 | mon1:3300,mon2:3300,mon3:3300
                mon1:3300,mon2:3300                 | mon1:3300,mon2:3300
                mon1:6789,mon2:3300                 | mon1:6789,mon2:3300
                [2001:db8::1]                       | [2001:db8::1]:6789
                [2001:db8::1]:3300                  | [2001:db8::1]:3300
                [2001:db8::1]:6789,[2001:db8::2]    | [2001:db8::1]:6789,[2001:db8::2]:6789
                [2001:db8::1],[2001:db8::2]:3300    | [2001:db8::1]:3300,[2001:db8::2]:3300
                CEPH-MON.example.org,10.0.0.9       | ceph-mon.example.org:6789,10.0.0.9:6789
                mon1,mon2,mon1                      | mon1:6789,mon2:6789
                """)
        void inTheUrl(String monitors, String expected) throws Exception {
            assertEquals(expected, monHost(RbdUrlParser.parse("rbd://rbdstack:" + PLAIN + "@" + monitors + "/rbd", null)));
        }

        @Test
        void aPortWithoutAPoolEndsTheUrl() throws Exception {
            RbdPoolDefinition definition = RbdUrlParser.parse("rbd://rbdstack:" + PLAIN + "@mon1:3300",
                    Map.of("pool", "rbd"));
            assertEquals("mon1:3300", monHost(definition));
        }
    }

    @Nested
    class UserAndPool {

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
                admin               | admin
                client.admin        | admin
                client.rbd.stack    | rbd.stack
                rbd_stack-1         | rbd_stack-1
                rbd%2Dstack         | rbd-stack
                client%2Eadmin      | admin
                """)
        void theUserLosesClientDotAndIsPercentDecoded(String written, String expected) throws Exception {
            assertEquals(expected, RbdUrlParser.parse("rbd://" + written + ":" + PLAIN + "@mon1/rbd", null).cephUser());
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @CsvSource(delimiter = '|', textBlock = """
                rbd                 | rbd
                rbd-pool_1.ssd      | rbd-pool_1.ssd
                RBD                 | RBD
                rbd%2Dpool          | rbd-pool
                """)
        void thePoolIsPercentDecodedAndKeepsItsCase(String written, String expected) throws Exception {
            assertEquals(expected, RbdUrlParser.parse("rbd://admin:" + PLAIN + "@mon1/" + written, null).cephPool());
        }

        @Test
        void theSchemeIsCaseInsensitive() throws Exception {
            assertEquals("rbd", RbdUrlParser.parse("RBD://admin:" + PLAIN + "@mon1/rbd", null).cephPool());
        }
    }

    @Nested
    class DetailsWinOverTheUrl {

        @Test
        void everythingFromDetailsWithABareScheme() throws Exception {
            RbdPoolDefinition definition = RbdUrlParser.parse("rbd://", Map.of("user", "client.rbdstack",
                    "secret", CephxTestKeys.urlSafe(MANY_SLASHES), "monitors", "mon1,mon2,[2001:db8::3]", "pool", "rbd",
                    "port", "3300"));
            assertEquals(new RbdPoolDefinition(List.of(new CephMonitor("mon1", 3300), new CephMonitor("mon2", 3300),
                    new CephMonitor("2001:db8::3", 3300)), "rbd", "rbdstack", io.rbdstack.spi.Secret.of(MANY_SLASHES)),
                    definition);
        }

        @Test
        void credentialsFromDetailsWithHostAndPoolInTheUrl() throws Exception {
            RbdPoolDefinition definition = RbdUrlParser.parse("rbd://mon1,mon2:3300/rbd",
                    Map.of("user", "rbdstack", "secret", MANY_PLUSES));
            assertEquals("mon1:3300,mon2:3300", monHost(definition));
            assertEquals("rbdstack", definition.cephUser());
            assertEquals(MANY_PLUSES, definition.cephKey().reveal());
        }

        @Test
        void eachDetailReplacesItsPieceOfTheUrl() throws Exception {
            RbdPoolDefinition definition = RbdUrlParser.parse("rbd://old:" + PLAIN + "@oldmon:6790/oldpool",
                    Map.of("user", "new", "secret", SLASHES_AND_PLUSES, "monitors", "newmon1,newmon2", "pool", "newpool"));
            assertEquals("new", definition.cephUser());
            assertEquals(SLASHES_AND_PLUSES, definition.cephKey().reveal());
            assertEquals("newmon1:6789,newmon2:6789", monHost(definition), "the url's port went with its monitors");
            assertEquals("newpool", definition.cephPool());
        }

        @Test
        void thePortDetailReplacesTheSharedPortOnly() throws Exception {
            RbdPoolDefinition definition = RbdUrlParser.parse("rbd://admin:" + PLAIN + "@mon1:6790,mon2,mon3:6789/rbd",
                    Map.of("port", "3300"));
            assertEquals("mon1:6790,mon2:3300,mon3:3300", monHost(definition));
        }

        @Test
        void aDetailReplacesAUrlPieceEvenAMalformedOne() throws Exception {
            RbdPoolDefinition definition = RbdUrlParser.parse("rbd://admin:not-a-key@mon1/rbd",
                    Map.of("secret", PLAIN));
            assertEquals(PLAIN, definition.cephKey().reveal());
        }

        @Test
        void emptyOrNullDetailValuesCountAsAbsent() throws Exception {
            Map<String, String> details = new HashMap<>();
            details.put("pool", "");
            details.put("secret", null);
            details.put("monitors", "");
            RbdPoolDefinition definition = RbdUrlParser.parse("rbd://admin:" + PLAIN + "@mon1/rbd", details);
            assertEquals("rbd", definition.cephPool());
            assertEquals(PLAIN, definition.cephKey().reveal());
            assertEquals("mon1:6789", monHost(definition));
        }

        @Test
        void noDetailsAtAll() throws Exception {
            assertEquals(RbdUrlParser.parse("rbd://admin:" + PLAIN + "@mon1/rbd", null),
                    RbdUrlParser.parse("rbd://admin:" + PLAIN + "@mon1/rbd", Map.of()));
        }
    }

    /** Each failure: a name, the url, the details, the parameter the message must name, and what it must say. */
    static Stream<Arguments> failures() {
        String key = MANY_SLASHES;
        String good = "rbd://rbdstack:" + key + "@mon1/rbd";
        return Stream.of(
                // the url's shape
                arguments("no url", null, Map.of(), "url", "the url is required"),
                arguments("empty url", "", Map.of(), "url", "the url is required"),
                arguments("another scheme", "nfs://10.0.0.1/export", Map.of(), "url", "starts with rbd://"),
                arguments("one slash after the scheme", "rbd:/rbdstack:" + key + "@mon1/rbd", Map.of(), "url",
                        "starts with rbd://"),
                arguments("no scheme", "rbdstack:" + key + "@mon1/rbd", Map.of(), "url", "starts with rbd://"),
                arguments("whitespace", "rbd://rbdstack:" + key + "@mon1/ rbd", Map.of(), "url", "contains whitespace"),
                // missing pieces
                arguments("bare scheme", "rbd://", Map.of(), "url", "the user is missing"),
                arguments("no userinfo", "rbd://mon1/rbd", Map.of(), "url", "or as details[].user"),
                arguments("no secret", "rbd://rbdstack@mon1/rbd", Map.of(), "url", "the secret is missing"),
                arguments("empty secret", "rbd://rbdstack:@mon1/rbd", Map.of(), "url", "or as details[].secret"),
                arguments("no monitors", "rbd://rbdstack:" + key + "@/rbd", Map.of(), "url", "the monitors are missing"),
                arguments("no pool", "rbd://rbdstack:" + key + "@mon1", Map.of(), "url", "the pool is missing"),
                arguments("empty pool", "rbd://rbdstack:" + key + "@mon1/", Map.of(), "url", "or as details[].pool"),
                arguments("no pool anywhere", "rbd://", Map.of("user", "a", "secret", key, "monitors", "mon1"), "url",
                        "the pool is missing"),
                // a secret where something else belongs
                arguments("no '@' after the secret", "rbd://rbdstack:" + key + "mon1/rbd", Map.of(), "url",
                        "the user is missing"),
                arguments("the secret as the user", "rbd://" + key + "@mon1/rbd", Map.of(), "url",
                        "the user may contain only"),
                arguments("the secret as the monitor", "rbd://rbdstack@" + key + "/rbd", Map.of("secret", PLAIN), "url",
                        "the pool contains '/'"),
                arguments("the secret after the pool", "rbd://rbdstack@mon1/rbd/" + key, Map.of("secret", PLAIN), "url",
                        "namespaces are not supported yet"),
                // the user
                arguments("client. alone", "rbd://client.:" + key + "@mon1/rbd", Map.of(), "url", "empty after 'client.'"),
                arguments("space in user", "rbd://rbd%20stack:" + key + "@mon1/rbd", Map.of(), "url",
                        "the user may contain only"),
                arguments("user starting with '.'", "rbd://.rbd:" + key + "@mon1/rbd", Map.of(), "url",
                        "must not start with '.'"),
                arguments("'/' in user detail", good, Map.of("user", "rbd/stack"), "details[].user",
                        "the user may contain only"),
                arguments("broken escape in user", "rbd://rbd%2:" + key + "@mon1/rbd", Map.of(), "url",
                        "the user has a '%' that is not followed by two hexadecimal digits"),
                // the secret
                arguments("truncated secret", "rbd://rbdstack:" + key.substring(0, 30) + "@mon1/rbd", Map.of(), "url",
                        "30 base64 characters"),
                arguments("truncated secret detail", good, Map.of("secret", key.substring(0, 30)), "details[].secret",
                        "30 base64 characters"),
                arguments("secret with a trailing space", good, Map.of("secret", key + " "), "details[].secret",
                        "whitespace"),
                arguments("AES-256 key of newer Ceph", good, Map.of("secret", CephxTestKeys.blob(2, 32)), "details[].secret",
                        "a cephx key has 38"),
                arguments("28 bytes of another type", good, Map.of("secret", CephxTestKeys.blob(0, 16)), "details[].secret",
                        "type field is not 1"),
                arguments("broken escape in secret", "rbd://rbdstack:" + CephxTestKeys.percentEncoded(key)
                        .replaceFirst("%2F", "%ZZ") + "@mon1/rbd", Map.of(), "url",
                        "the secret has a '%' that is not followed by two hexadecimal digits"),
                arguments("escape that is not UTF-8", "rbd://rbdstack:" + key.substring(0, 20) + "%FF" + key.substring(20)
                        + "@mon1/rbd", Map.of(), "url", "the secret is not valid UTF-8"),
                arguments("two secrets glued", "rbd://rbdstack:" + key + key + "@mon1/rbd", Map.of(), "url",
                        "'=' before its end"),
                // the monitors
                arguments("empty monitor", "rbd://rbdstack:" + key + "@mon1,,mon2/rbd", Map.of(), "url",
                        "monitor 2 of 3 is empty"),
                arguments("unbracketed IPv6", "rbd://rbdstack:" + key + "@2001:db8::1:6789/rbd", Map.of(), "url",
                        "IPv6 address without brackets"),
                arguments("port too big", "rbd://rbdstack:" + key + "@mon1:70000/rbd", Map.of(), "url",
                        "the port is not a number from 1 to 65535"),
                arguments("space in monitors detail", good, Map.of("monitors", "mon1, mon2"), "details[].monitors",
                        "contains whitespace"),
                arguments("bad monitor detail", good, Map.of("monitors", "[mon1]"), "details[].monitors",
                        "not a valid IPv6 address"),
                arguments("port detail 0", good, Map.of("port", "0"), "details[].port", "the port is not a number from 1"),
                arguments("port detail not a number", good, Map.of("port", "3300x"), "details[].port",
                        "the port is not a number from 1"),
                // the pool
                arguments("namespace", "rbd://rbdstack:" + key + "@mon1/rbd/ns1", Map.of(), "url",
                        "namespaces are not supported yet"),
                arguments("encoded namespace", "rbd://rbdstack:" + key + "@mon1/rbd%2Fns1", Map.of(), "url",
                        "namespaces are not supported yet"),
                arguments("trailing slash", "rbd://rbdstack:" + key + "@mon1/rbd/", Map.of(), "url",
                        "namespaces are not supported yet"),
                arguments("Ceph's own pool", "rbd://rbdstack:" + key + "@mon1/.mgr", Map.of(), "url",
                        "are Ceph's own"),
                arguments("query string", "rbd://rbdstack:" + key + "@mon1/rbd?x=1", Map.of(), "url",
                        "the pool may contain only"),
                arguments("namespace detail", good, Map.of("pool", "rbd/ns"), "details[].pool",
                        "namespaces are not supported yet"),
                // the details' keys
                arguments("unknown keys", good, Map.of("monitor", "mon1", "Secret", key), "details",
                        "unknown keys 'Secret', 'monitor'; an RBD pool takes user, secret, monitors, pool, port"),
                arguments("unknown key", good, Map.of("rbd_default_data_pool", "ec"), "details",
                        "unknown key 'rbd_default_data_pool'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void failuresNameTheParameterAndNeverShowTheSecret(String name, String url, Map<String, String> details,
                                                       String parameter, String expected) {
        var e = assertThrows(InvalidRbdDefinitionException.class, () -> RbdUrlParser.parse(url, details));
        String message = e.getMessage();
        assertEquals(parameter, e.parameter());
        assertTrue(message.startsWith("Invalid value for parameter " + parameter + ": "), message);
        assertTrue(message.contains(expected), message);
        for (String key : CephxTestKeys.ALL) {
            assertNoPieceOf(key, message);
        }
        details.values().forEach(value -> {
            if (value.length() > 20) {
                assertNoPieceOf(value, message);
            }
        });
    }
}
