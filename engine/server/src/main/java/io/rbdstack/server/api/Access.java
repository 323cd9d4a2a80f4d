package io.rbdstack.server.api;

/** Who may call a command. CloudStack answers 432 to a caller whose role lacks the command. */
public enum Access {
    /** Root admins only. */
    ADMIN,
    /** Root admins and domain admins; the command limits a domain admin to its own domain subtree. */
    DOMAIN_ADMIN,
    /** Every authenticated user; the command itself limits what each sees. */
    USER;

    /** Whether a caller of this kind may see and run a command with this access. */
    public boolean allows(Caller caller) {
        return switch (this) {
            case ADMIN -> caller.isRootAdmin();
            case DOMAIN_ADMIN -> caller.isRootAdmin() || caller.isDomainAdmin();
            case USER -> true;
        };
    }
}
