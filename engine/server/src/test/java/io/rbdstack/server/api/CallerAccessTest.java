package io.rbdstack.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one access rule (Caller.mayAccess), Access on commands, and how list commands choose whose rows. */
class CallerAccessTest {

    private static final Caller ROOT = new Caller(1, "u1", "admin", 1, "a1", "admin", Caller.TYPE_ADMIN, 1, "d1", "/");
    private static final Caller DEPT_ADMIN = new Caller(2, "u2", "boss", 2, "a2", "boss", Caller.TYPE_DOMAIN_ADMIN, 2,
            "d2", "/dept/");
    private static final Caller USER = new Caller(3, "u3", "alice", 3, "a3", "alice", Caller.TYPE_USER, 3, "d3",
            "/dept/team/");

    @Test
    void rootAdminsMayAccessEverything() {
        assertTrue(ROOT.mayAccess(99L, "/other/"));
        assertTrue(ROOT.mayAccess(null, null));
    }

    @Test
    void domainAdminsMayAccessTheirDomainAndBelowOnly() {
        assertTrue(DEPT_ADMIN.mayAccess(3L, "/dept/team/"), "an account below");
        assertTrue(DEPT_ADMIN.mayAccess(7L, "/dept/"), "an account of its own domain");
        assertTrue(DEPT_ADMIN.mayAccess(null, "/dept/team/"), "a domain below");
        assertFalse(DEPT_ADMIN.mayAccess(8L, "/other/"), "a domain beside");
        assertFalse(DEPT_ADMIN.mayAccess(9L, "/"), "the domain above");
        assertFalse(DEPT_ADMIN.mayAccess(10L, "/department/"), "a sibling whose name only starts alike");
        assertFalse(DEPT_ADMIN.mayAccess(11L, null), "a row outside the domain tree");
        assertTrue(DEPT_ADMIN.mayAccess(2L, null), "its own account's rows");
    }

    @Test
    void noDomainAdminManagesARootAdminsAccountNotEvenOneOfRoot() {
        Caller rootDomainAdmin = new Caller(4, "u4", "ops", 4, "a4", "ops", Caller.TYPE_DOMAIN_ADMIN, 1, "d1", "/");
        assertTrue(rootDomainAdmin.mayAccess(1L, "/"), "the domain tree alone would let it");
        assertFalse(rootDomainAdmin.mayManage(1L, Caller.TYPE_ADMIN, "/"), "a root admin's account");
        assertTrue(rootDomainAdmin.mayManage(5L, Caller.TYPE_USER, "/"), "a user account of ROOT");
        assertTrue(rootDomainAdmin.mayManage(6L, Caller.TYPE_DOMAIN_ADMIN, "/dept/"), "a domain admin below");
        assertTrue(ROOT.mayManage(12L, Caller.TYPE_ADMIN, "/"), "root admins manage each other");
        assertTrue(rootDomainAdmin.mayManage(4L, Caller.TYPE_DOMAIN_ADMIN, "/"), "its own account");
    }

    @Test
    void usersMayAccessTheirOwnAccountsRowsOnly() {
        assertTrue(USER.mayAccess(3L, "/dept/team/"));
        assertFalse(USER.mayAccess(4L, "/dept/team/"), "another account of its own domain");
        assertFalse(USER.mayAccess(null, "/dept/team/"), "its own domain is not its account's");
    }

    @Test
    void commandAccessFollowsTheRole() {
        assertTrue(Access.DOMAIN_ADMIN.allows(ROOT));
        assertTrue(Access.DOMAIN_ADMIN.allows(DEPT_ADMIN));
        assertFalse(Access.DOMAIN_ADMIN.allows(USER));
        assertFalse(Access.ADMIN.allows(DEPT_ADMIN));
        assertTrue(Access.USER.allows(USER));
    }

    private final Owners owners = new Owners() {
        private final Map<String, DomainRef> domains = Map.of(
                "root", new DomainRef(1, "root", "/"),
                "dept", new DomainRef(2, "dept", "/dept/"),
                "team", new DomainRef(3, "team", "/dept/team/"),
                "other", new DomainRef(4, "other", "/other/"));

        @Override
        public Optional<DomainRef> domain(String uuid) {
            return Optional.ofNullable(domains.get(uuid));
        }

        @Override
        public Optional<AccountRef> account(String uuid) {
            return Optional.empty();
        }

        @Override
        public Optional<AccountRef> account(String name, long domainId) {
            return name.equals("alice") && domainId == 3
                    ? Optional.of(new AccountRef(3, "a3", "alice", 0, domains.get("team"))) : Optional.empty();
        }
    };

    private static OwnerParams params(String account, String domain, Boolean recursive, Boolean listAll) {
        return new OwnerParams(Optional.ofNullable(account), Optional.ofNullable(domain),
                Optional.ofNullable(recursive), Optional.ofNullable(listAll));
    }

    @Test
    void listsShowTheCallersOwnRowsUnlessAnAdminAsksForMore() {
        assertEquals(ListScope.account(3), params(null, null, null, true).scope(USER, owners, true),
                "listall changes nothing for a user");
        assertEquals(ListScope.account(2), params(null, null, null, null).scope(DEPT_ADMIN, owners, false));
        assertEquals(ListScope.domain(2, "/dept/", true), params(null, null, null, true).scope(DEPT_ADMIN, owners,
                false));
        assertEquals(ListScope.domain(2, "/dept/", true), params(null, null, null, null).scope(DEPT_ADMIN, owners,
                true), "by id, or listAccounts: the admin's subtree");
        assertEquals(ListScope.everything(), params(null, null, null, true).scope(ROOT, owners, false));
        assertEquals(ListScope.domain(3, "/dept/team/", false), params(null, "team", null, null).scope(DEPT_ADMIN,
                owners, false));
        assertEquals(ListScope.domain(2, "/dept/", true), params(null, "dept", true, null).scope(DEPT_ADMIN, owners,
                false));
        assertEquals(ListScope.account(3), params("alice", "team", null, null).scope(DEPT_ADMIN, owners, false));
    }

    @Test
    void aDomainOutsideTheCallersReachIsRefused() {
        ApiException beside = assertThrows(ApiException.class, () -> params(null, "other", null, null)
                .scope(DEPT_ADMIN, owners, false));
        assertEquals(ApiErrorCode.ACCOUNT_ERROR, beside.errorCode());
        assertThrows(ApiException.class, () -> params(null, "root", true, null).scope(DEPT_ADMIN, owners, false));
        assertThrows(ApiException.class, () -> params(null, "dept", null, null).scope(USER, owners, false));
        assertEquals(ListScope.account(3), params(null, "team", null, null).scope(USER, owners, false),
                "a user may name its own domain");
        assertThrows(ApiException.class, () -> params("bob", null, null, null).scope(USER, owners, false),
                "a user names no other account");
    }

    @Test
    void aSubtreeBecomesTheLiveDomainsUnderOnePrefixWithWildcardsEscaped() {
        ListScope.Sql sql = ListScope.domain(5, "/a_b%/", true).where("v.account_id", "v.domain_id");
        assertEquals(" AND v.domain_id IN (SELECT sub.id FROM domain sub WHERE sub.path LIKE ? AND sub.removed IS NULL)",
                sql.text());
        assertEquals("/a\\_b\\%/%", sql.args().get(0));
        assertEquals("", ListScope.everything().where("x", "y").text());
        assertEquals(" AND v.account_id = ?", ListScope.account(4).where("v.account_id", "v.domain_id")
                .text());
    }
}
