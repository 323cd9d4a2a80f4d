package io.rbdstack.server.api;

/** The authenticated user behind a request. Account types are CloudStack's: 0 user, 1 root admin, 2 domain admin. */
public record Caller(long userId, String userUuid, String username, long accountId, String accountUuid,
                     String accountName, int accountType, long domainId, String domainUuid, String domainPath) {

    public static final int TYPE_USER = 0;
    public static final int TYPE_ADMIN = 1;
    public static final int TYPE_DOMAIN_ADMIN = 2;

    public boolean isRootAdmin() {
        return accountType == TYPE_ADMIN;
    }

    /**
     * Whose resources a list command shows, as CloudStack decides it: root admins see every account's
     * (empty) with listall=true or when asking for one by id; everyone else only their own account's.
     */
    public java.util.Optional<Long> listedAccount(java.util.Optional<Boolean> listAll, java.util.Optional<String> id) {
        boolean everyAccount = isRootAdmin() && (listAll.orElse(false) || id.isPresent());
        return everyAccount ? java.util.Optional.empty() : java.util.Optional.of(accountId);
    }

    /** The role name CloudStack reports for the account type. */
    public String roleType() {
        return switch (accountType) {
            case TYPE_ADMIN -> "Admin";
            case TYPE_DOMAIN_ADMIN -> "DomainAdmin";
            default -> "User";
        };
    }
}
