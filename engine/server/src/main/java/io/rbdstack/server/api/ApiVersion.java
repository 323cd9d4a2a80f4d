package io.rbdstack.server.api;

/** The CloudStack API level rbdstack speaks, reported by listCapabilities and in XML envelopes. */
public final class ApiVersion {
    public static final String CLOUDSTACK_VERSION = "4.18.0";
    public static final String RBDSTACK_VERSION = "0.1.0";

    private ApiVersion() {
    }
}
