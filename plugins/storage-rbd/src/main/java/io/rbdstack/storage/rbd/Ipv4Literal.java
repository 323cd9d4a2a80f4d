package io.rbdstack.storage.rbd;

import java.util.Optional;

/**
 * Dotted-quad IPv4 text. Leading zeros are refused: inet_aton reads "010" as octal 8, so "010.0.0.1"
 * would reach a different host depending on who parses it.
 */
final class Ipv4Literal {

    private Ipv4Literal() {
    }

    static Optional<int[]> octets(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return Optional.empty();
        }
        int[] octets = new int[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (!part.matches("0|[1-9][0-9]{0,2}")) {
                return Optional.empty();
            }
            octets[i] = Integer.parseInt(part);
            if (octets[i] > 255) {
                return Optional.empty();
            }
        }
        return Optional.of(octets);
    }
}
