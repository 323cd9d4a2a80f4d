package io.rbdstack.server.account;

import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.auth.UserRepository;
import io.rbdstack.server.limit.ResourceSummaries;
import io.rbdstack.server.limit.ResourceSummary;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds account views with their users and resources, those of all listed accounts read in a few queries. */
public final class AccountViews {

    private final AccountRepository accounts;
    private final UserRepository users;
    private final ResourceSummaries summaries;

    public AccountViews(AccountRepository accounts, UserRepository users, ResourceSummaries summaries) {
        this.accounts = accounts;
        this.users = users;
        this.summaries = summaries;
    }

    public AccountRepository accounts() {
        return accounts;
    }

    public AccountView view(String accountUuid) {
        return views(List.of(accounts.find(accountUuid).orElseThrow())).get(0);
    }

    public List<AccountView> views(List<AccountRepository.AccountRow> rows) {
        Map<String, List<UserRepository.UserView>> byAccount = users.usersOf(rows.stream()
                .map(AccountRepository.AccountRow::id).toList()).stream()
                .collect(Collectors.groupingBy(UserRepository.UserView::accountid));
        Map<Long, ResourceSummary> resources = summaries.ofAccounts(rows.stream()
                .map(row -> new ResourceSummaries.AccountKey(row.id(), row.type())).toList());
        return rows.stream().map(row -> new AccountView(row.uuid(), row.name(), row.type(), Caller.roleType(row.type()),
                row.domainUuid(), row.domainName(), DomainPaths.display(row.domainPath()), row.state(),
                ApiJson.date(row.created()), row.networkDomain(), row.isDefault(),
                byAccount.getOrDefault(row.uuid(), List.of()), resources.get(row.id()))).toList();
    }
}
