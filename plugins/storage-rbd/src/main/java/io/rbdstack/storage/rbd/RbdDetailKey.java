package io.rbdstack.storage.rbd;

import java.util.Arrays;
import java.util.Optional;

/**
 * The {@code details[]} keys an RBD pool accepts. Each one supplies, or overrides, one part of the
 * url. Details win over the url, so an admin can keep the secret out of the url completely.
 */
public enum RbdDetailKey {

    USER("user", false, "Ceph user (cephx id), with or without 'client.'; overrides the user in the url."),
    SECRET("secret", true, "The user's cephx key, as 'ceph auth get-key client.<user>' prints it (standard or"
            + " URL-safe base64, percent-encoded or not); overrides the secret in the url."),
    MONITORS("monitors", false, "Comma-separated Ceph monitors, each a host name, IPv4 address or [IPv6] address"
            + " with an optional :port; overrides the monitors in the url."),
    POOL("pool", false, "The Ceph pool; overrides the pool in the url."),
    PORT("port", false, "Port for the monitors that do not give their own; overrides the url's trailing port."
            + " Default 6789.");

    private final String key;
    private final boolean secret;
    private final String help;

    RbdDetailKey(String key, boolean secret, String help) {
        this.key = key;
        this.secret = secret;
        this.help = help;
    }

    public String key() {
        return key;
    }

    /** Whether the value is a secret, which the engine must encrypt and mask. */
    public boolean isSecret() {
        return secret;
    }

    public String help() {
        return help;
    }

    /**
     * How error messages name this detail. The engine's details map no longer knows the index n of
     * {@code details[n]}, so the index is left empty.
     */
    public String parameter() {
        return "details[]." + key;
    }

    public static Optional<RbdDetailKey> of(String key) {
        return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
    }
}
