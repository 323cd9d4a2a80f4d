package io.rbdstack.storage.rbd;

import io.rbdstack.spi.Secret;
import io.rbdstack.storage.rbd.agent.CephMonitor;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * Reads an RBD primary storage definition from createStoragePool's {@code url} and {@code details[]}.
 *
 * <pre>
 * url       = "rbd://" [ userinfo "@" ] [ monitors ] [ "/" [ pool ] ]    ; scheme case-insensitive
 * userinfo  = user [ ":" secret ]     ; cut at the LAST '@' of the url, then at the FIRST ':'
 * monitors  = monitor *( "," monitor )   ; ends at the FIRST '/' after that '@'
 * monitor   = host [ ":" port ]       ; a port on the last monitor is shared by all monitors
 *                                     ; without their own; default 6789
 * host      = name | ipv4 | "[" ipv6 "]"
 * port      = 1*5DIGIT                ; 1..65535
 * pool      = 1*( ALPHA | DIGIT | "." | "-" | "_" )   ; not starting with '.'; no '/' (namespaces)
 * user      = [ "client." ] 1*( ALPHA | DIGIT | "." | "-" | "_" )
 * secret    = cephx key in standard or URL-safe base64, padding optional
 * </pre>
 *
 * User, secret and pool are percent-decoded, with '+' kept as '+'. Whitespace is refused everywhere.
 *
 * <p>Details supply or override parts of the url: {@code user}, {@code secret}, {@code monitors},
 * {@code pool}, {@code port}. <b>A detail wins over the url</b>, so the secret can stay out of the url
 * altogether. {@code monitors} replaces the url's whole monitor list; {@code port} replaces the shared
 * port. Empty values count as absent. Unknown keys are refused.
 */
public final class RbdUrlParser {

    static final String URL = "url";

    private RbdUrlParser() {
    }

    public static RbdPoolDefinition parse(String url, Map<String, String> details) throws InvalidRbdDefinitionException {
        Map<RbdDetailKey, String> given = knownDetails(details);
        RbdUrlPieces pieces = RbdUrlPieces.split(url);

        Sourced user = required(given, RbdDetailKey.USER, pieces.user(), "the user is missing", "rbd://user:secret@…");
        String cephUser = CephNames.user(PercentDecoding.decode(user.text(), user.parameter(), "the user"),
                user.parameter());

        Sourced secret = required(given, RbdDetailKey.SECRET, pieces.secret(), "the secret is missing",
                "rbd://user:secret@…");
        Secret cephKey = CephxKey.normalise(PercentDecoding.decode(secret.text(), secret.parameter(), "the secret"),
                secret.parameter());

        Sourced monitorList = required(given, RbdDetailKey.MONITORS, pieces.monitors(), "the monitors are missing",
                "rbd://…@mon1,mon2:6789/pool");
        String portDetail = given.get(RbdDetailKey.PORT);
        OptionalInt sharedPort = portDetail == null ? OptionalInt.empty()
                : OptionalInt.of(MonitorListParser.port(portDetail, RbdDetailKey.PORT.parameter(), null));
        List<CephMonitor> monitors = MonitorListParser.parse(monitorList.text(), monitorList.parameter(), sharedPort);

        Sourced pool = required(given, RbdDetailKey.POOL, pieces.pool(), "the pool is missing", "rbd://…/pool");
        String cephPool = CephNames.pool(PercentDecoding.decode(pool.text(), pool.parameter(), "the pool"),
                pool.parameter());

        return new RbdPoolDefinition(monitors, cephPool, cephUser, cephKey);
    }

    /** A piece of the definition and the parameter it came from, so a message blames the right one. */
    private record Sourced(String text, String parameter) {
    }

    private static Sourced required(Map<RbdDetailKey, String> given, RbdDetailKey key, String fromUrl, String missing,
                                    String urlForm) throws InvalidRbdDefinitionException {
        String detail = given.get(key);
        if (detail != null) {
            return new Sourced(detail, key.parameter());
        }
        if (fromUrl != null) {
            return new Sourced(fromUrl, URL);
        }
        throw new InvalidRbdDefinitionException(URL, missing + ": expected in the url (" + urlForm + ") or as "
                + key.parameter());
    }

    private static Map<RbdDetailKey, String> knownDetails(Map<String, String> details)
            throws InvalidRbdDefinitionException {
        Map<RbdDetailKey, String> known = new EnumMap<>(RbdDetailKey.class);
        if (details == null) {
            return known;
        }
        TreeSet<String> unknown = new TreeSet<>();
        for (Map.Entry<String, String> detail : details.entrySet()) {
            var key = RbdDetailKey.of(detail.getKey());
            if (key.isEmpty()) {
                unknown.add("'" + detail.getKey() + "'");
            } else if (detail.getValue() != null && !detail.getValue().isEmpty()) {
                known.put(key.get(), detail.getValue());
            }
        }
        if (!unknown.isEmpty()) {
            throw new InvalidRbdDefinitionException("details", "unknown key" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + "; an RBD pool takes " + String.join(", ",
                    RbdProviderOptions.detailKeys()));
        }
        return known;
    }
}
