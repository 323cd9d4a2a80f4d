package io.rbdstack.server.api;

import java.util.ArrayList;
import java.util.List;

/** CloudStack's comma-separated values ("ssd, rbd,,fast"): trimmed, empty ones dropped. */
public final class CommaList {

    private CommaList() {
    }

    public static List<String> parse(String raw) {
        List<String> items = new ArrayList<>();
        for (String item : raw.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return List.copyOf(items);
    }
}
