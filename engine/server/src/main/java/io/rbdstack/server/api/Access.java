package io.rbdstack.server.api;

/** Who may call a command. CloudStack answers 432 to a caller whose role lacks the command. */
public enum Access {
    /** Root admins only. */
    ADMIN,
    /** Every authenticated user; the command itself limits what each sees. */
    USER
}
