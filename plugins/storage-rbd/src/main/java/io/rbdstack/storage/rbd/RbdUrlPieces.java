package io.rbdstack.storage.rbd;

/**
 * The raw pieces of an rbd url: nothing decoded, nothing checked, and null where a piece is absent
 * or empty.
 *
 * <p>The url is cut at fixed separators, from the right, and never through {@link java.net.URI}.
 * URI reads the first '/' of a secret as the start of the path. That was CloudStack's #4147 and
 * #7673: the rest of the secret, the '@' and the monitor went into the pool path, and the user and
 * host came out null. The cuts:
 * <ol>
 * <li>the LAST '@' ends the userinfo; a secret has no '@' (base64 has none);</li>
 * <li>after that '@', the FIRST '/' ends the monitors, and the pool is everything after it;</li>
 * <li>in the userinfo, the FIRST ':' ends the user, and the secret is everything after it, '/', ':'
 * and '=' included.</li>
 * </ol>
 * So no character of the secret affects where the cuts fall.
 */
record RbdUrlPieces(String user, String secret, String monitors, String pool) {

    static final String SCHEME = "rbd://";

    static RbdUrlPieces split(String url) throws InvalidRbdDefinitionException {
        if (url == null || url.isEmpty()) {
            throw new InvalidRbdDefinitionException(RbdUrlParser.URL, "the url is required: rbd://user:secret@"
                    + "mon1[,mon2…][:port]/pool, or rbd:// with details[] giving the rest");
        }
        if (!url.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            throw new InvalidRbdDefinitionException(RbdUrlParser.URL, "an RBD pool's url starts with rbd://");
        }
        if (url.chars().anyMatch(Character::isWhitespace)) {
            throw new InvalidRbdDefinitionException(RbdUrlParser.URL, "the url contains whitespace");
        }
        String rest = url.substring(SCHEME.length());
        int at = rest.lastIndexOf('@');
        String userInfo = at < 0 ? null : rest.substring(0, at);
        String monitorsAndPool = rest.substring(at + 1);

        int slash = monitorsAndPool.indexOf('/');
        String monitors = slash < 0 ? monitorsAndPool : monitorsAndPool.substring(0, slash);
        String pool = slash < 0 ? null : monitorsAndPool.substring(slash + 1);

        String user = userInfo;
        String secret = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            if (colon >= 0) {
                user = userInfo.substring(0, colon);
                secret = userInfo.substring(colon + 1);
            }
        }
        return new RbdUrlPieces(nullIfEmpty(user), nullIfEmpty(secret), nullIfEmpty(monitors), nullIfEmpty(pool));
    }

    private static String nullIfEmpty(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    /**
     * Says only which pieces are present. If the url was split wrongly (no '@', say), any piece may
     * hold the secret.
     */
    @Override
    public String toString() {
        return "RbdUrlPieces[user " + presence(user) + ", secret " + presence(secret) + ", monitors "
                + presence(monitors) + ", pool " + presence(pool) + "]";
    }

    private static String presence(String piece) {
        return piece == null ? "absent" : "present";
    }
}
