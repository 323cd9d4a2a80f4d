package io.rbdstack.server.tag;

import io.rbdstack.server.api.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A tag a command names: its key, and its value when given (a key alone matches whatever the value). */
public record TagMatch(String key, Optional<String> value) {

    /** The {@code tags[n].key}/{@code tags[n].value} entries of a request, each needing a key. */
    public static List<TagMatch> of(List<Map<String, String>> entries, String param) {
        List<TagMatch> matches = new ArrayList<>();
        for (Map<String, String> entry : entries) {
            String key = entry.getOrDefault("key", "");
            if (key.isEmpty()) {
                throw ApiException.invalidParameter("Every tag needs a key (parameter " + param + ")");
            }
            matches.add(new TagMatch(key, Optional.ofNullable(entry.get("value")).filter(v -> !v.isEmpty())));
        }
        return List.copyOf(matches);
    }
}
