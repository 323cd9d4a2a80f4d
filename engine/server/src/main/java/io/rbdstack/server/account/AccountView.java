package io.rbdstack.server.account;

import io.rbdstack.server.auth.UserRepository;
import java.util.List;

/** An account as createAccount, listAccounts and the account commands show it (CloudStack's field names). */
public record AccountView(String id, String name, int accounttype, String roletype, String domainid, String domain,
                          String domainpath, String state, String created, String networkdomain, boolean isdefault,
                          List<UserRepository.UserView> user) {
}
