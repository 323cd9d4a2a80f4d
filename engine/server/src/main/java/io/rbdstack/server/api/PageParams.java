package io.rbdstack.server.api;

import java.util.Optional;

/** The paging parameters every list command takes, as CloudStack's BaseListCmd declares them. */
@ParamGroup
public record PageParams(
        @Param(description = "page number, from 1", min = 1) Optional<Integer> page,
        @Param(description = "page size; -1 for all", min = Paging.ALL, max = Paging.MAX_PAGE_SIZE)
        Optional<Integer> pageSize) {

    public PageParams {
        Paging.of(page, pageSize);   // refuses pagesize=0 while binding, before any command body runs
    }

    public Paging paging() {
        return Paging.of(page, pageSize);
    }

    /** The SQL LIMIT/OFFSET of the page asked for. */
    public String sql() {
        return paging().sql();
    }
}
