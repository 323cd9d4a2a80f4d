package io.rbdstack.storage.rbd;

import io.rbdstack.spi.net.Rfc5952;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * IPv6 address text, without brackets and without a zone. This class works on the text alone:
 * {@link java.net.InetAddress#getByName} could fall back to a DNS lookup for some malformed text, and
 * parsing must never touch the network. The canonical form (RFC 5952: lower case, no leading zeros,
 * the longest run of two or more zero groups shortened to "::") makes two spellings of the same
 * monitor compare equal.
 */
final class Ipv6Literal {

    private static final int GROUPS = 8;

    private Ipv6Literal() {
    }

    static Optional<String> canonical(String text) {
        int[] groups = parse(text);
        return groups == null ? Optional.empty() : Optional.of(Rfc5952.format(groups));
    }

    /** The 8 16-bit groups, or null if the text is not an IPv6 address. */
    private static int[] parse(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        List<Integer> head = groups(gap >= 0 ? text.substring(0, gap) : text, gap < 0);
        List<Integer> tail = gap >= 0 ? groups(text.substring(gap + 2), true) : List.of();
        if (head == null || tail == null) {
            return null;
        }
        int given = head.size() + tail.size();
        // Without "::" all 8 groups are written out. "::" stands for at least one zero group.
        if (gap < 0 ? given != GROUPS : given >= GROUPS) {
            return null;
        }
        int[] groups = new int[GROUPS];
        for (int i = 0; i < head.size(); i++) {
            groups[i] = head.get(i);
        }
        for (int i = 0; i < tail.size(); i++) {
            groups[GROUPS - tail.size() + i] = tail.get(i);
        }
        return groups;
    }

    /**
     * Groups of "h:h:…", where the last part may be a dotted IPv4 address (two groups) when
     * {@code mayEndInIpv4} is true. Returns null if any part is malformed.
     */
    private static List<Integer> groups(String part, boolean mayEndInIpv4) {
        List<Integer> groups = new ArrayList<>();
        if (part.isEmpty()) {
            return groups;
        }
        String[] pieces = part.split(":", -1);
        for (int i = 0; i < pieces.length; i++) {
            String piece = pieces[i];
            if (mayEndInIpv4 && i == pieces.length - 1 && piece.indexOf('.') >= 0) {
                Optional<int[]> octets = Ipv4Literal.octets(piece);
                if (octets.isEmpty()) {
                    return null;
                }
                int[] o = octets.get();
                groups.add(o[0] << 8 | o[1]);
                groups.add(o[2] << 8 | o[3]);
            } else if (piece.matches("[0-9A-Fa-f]{1,4}")) {
                groups.add(Integer.parseInt(piece, 16));
            } else {
                return null;
            }
        }
        return groups;
    }
}
