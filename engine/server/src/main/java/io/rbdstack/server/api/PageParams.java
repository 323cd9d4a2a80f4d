package io.rbdstack.server.api;

import java.util.Optional;
import java.util.function.IntSupplier;

/**
 * The paging parameters every list command takes, as CloudStack's BaseListCmd declares them. The
 * binder gives every list a page size: without {@code pagesize}, and with CloudStack's {@code -1}
 * ("all"), it is {@code default.page.size} (see {@link #bounded}), so no list returns unbounded rows.
 */
@ParamGroup
public record PageParams(
        @Param(description = "page number, from 1", min = 1) Optional<Integer> page,
        @Param(description = "page size, at most 500; without it, or with -1, default.page.size", min = Paging.ALL,
                max = Paging.MAX_PAGE_SIZE)
        Optional<Integer> pageSize) {

    public PageParams {
        Paging.of(page, pageSize);   // refuses pagesize=0 while binding, before any command body runs
    }

    /** The same page, with {@code defaultSize} rows (read only then) when no size, or -1, was asked for. */
    public PageParams bounded(IntSupplier defaultSize) {
        boolean sized = pageSize.filter(size -> size != Paging.ALL).isPresent();
        return sized ? this : new PageParams(page, Optional.of(defaultSize.getAsInt()));
    }

    public Paging paging() {
        return Paging.of(page, pageSize);
    }

    /** The SQL LIMIT/OFFSET of the page asked for. */
    public String sql() {
        return paging().sql();
    }
}
