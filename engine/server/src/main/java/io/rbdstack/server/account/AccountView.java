package io.rbdstack.server.account;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.rbdstack.server.auth.UserRepository;
import io.rbdstack.server.limit.ResourceSummary;
import java.util.List;

/**
 * An account as createAccount, listAccounts and the account commands show it (CloudStack's field names),
 * with its resource limits, totals and what is available.
 */
public record AccountView(String id, String name, int accounttype, String roletype, String domainid, String domain,
                          String domainpath, String state, String created, String networkdomain, boolean isdefault,
                          List<UserRepository.UserView> user, @JsonUnwrapped ResourceSummary resources) {
}
