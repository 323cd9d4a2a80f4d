package io.rbdstack.server.api;

import java.util.Optional;

/**
 * CloudStack's paging: {@code page} from 1 and {@code pagesize}; pagesize -1 (or none) means every row
 * here. API calls never get that far: the binder bounds their page size ({@link PageParams#bounded}).
 */
public record Paging(int page, int pageSize) {

    public static final int ALL = -1;
    public static final int MAX_PAGE_SIZE = 500;

    public static Paging of(Optional<Integer> page, Optional<Integer> pageSize) {
        int size = pageSize.orElse(ALL);
        if (size == 0 || size < ALL) {
            throw ApiException.invalidParameter("Invalid value " + size + " for parameter pagesize: give a positive number or -1 for all");
        }
        if (size > MAX_PAGE_SIZE) {
            throw ApiException.invalidParameter("Invalid value " + size + " for parameter pagesize: at most " + MAX_PAGE_SIZE);
        }
        int p = page.orElse(1);
        if (p < 1) {
            throw ApiException.invalidParameter("Invalid value " + p + " for parameter page: pages start at 1");
        }
        return new Paging(p, size);
    }

    /** {@code " LIMIT ? OFFSET ?"} values, or none for everything. */
    public String sql() {
        return pageSize == ALL ? "" : " LIMIT " + pageSize + " OFFSET " + ((long) (page - 1) * pageSize);
    }
}
