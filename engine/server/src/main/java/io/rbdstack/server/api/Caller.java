package io.rbdstack.server.api;

/**
 * The authenticated user behind a request. Account types are CloudStack's: 0 user, 1 root admin, 2 domain
 * admin. {@code domainPath} is CloudStack's path form: "/" for ROOT, "/a/b/" below it.
 */
public record Caller(long userId, String userUuid, String username, long accountId, String accountUuid,
                     String accountName, int accountType, long domainId, String domainUuid, String domainPath) {

    public static final int TYPE_USER = 0;
    public static final int TYPE_ADMIN = 1;
    public static final int TYPE_DOMAIN_ADMIN = 2;

    public boolean isRootAdmin() {
        return accountType == TYPE_ADMIN;
    }

    public boolean isDomainAdmin() {
        return accountType == TYPE_DOMAIN_ADMIN;
    }

    /**
     * The one access rule for what accounts and domains own: a root admin may act on everything; a domain
     * admin on what lives in its own domain or a domain below it; anyone on what its own account owns.
     *
     * @param ownerAccountId  the owning account, or null for something no account owns (a domain)
     * @param ownerDomainPath the path of the domain it lives in (for a domain: its own path), or null if unknown
     */
    public boolean mayAccess(Long ownerAccountId, String ownerDomainPath) {
        if (isRootAdmin() || ownerAccountId != null && ownerAccountId == accountId) {
            return true;
        }
        return managesDomain(ownerDomainPath);
    }

    /**
     * {@link #mayAccess}, and a root admin's account (type 1) only for root admins and itself: root admins
     * stand above the domain tree, so not even a domain admin of ROOT may act on them.
     */
    public boolean mayManage(long ownerAccountId, int ownerAccountType, String ownerDomainPath) {
        if (ownerAccountType == TYPE_ADMIN && !isRootAdmin() && ownerAccountId != accountId) {
            return false;
        }
        return mayAccess(ownerAccountId, ownerDomainPath);
    }

    /** Whether the caller administers the domain at {@code path}: a root admin, or a domain admin of it or an ancestor. */
    public boolean managesDomain(String path) {
        return isRootAdmin() || isDomainAdmin() && path != null && path.startsWith(domainPath);
    }

    /** The role name CloudStack reports for the account type. */
    public String roleType() {
        return roleType(accountType);
    }

    public static String roleType(int accountType) {
        return switch (accountType) {
            case TYPE_ADMIN -> "Admin";
            case TYPE_DOMAIN_ADMIN -> "DomainAdmin";
            default -> "User";
        };
    }
}
