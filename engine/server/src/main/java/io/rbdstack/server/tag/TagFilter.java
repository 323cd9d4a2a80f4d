package io.rbdstack.server.tag;

import io.rbdstack.server.api.ListScope;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code tags[n].key}/{@code tags[n].value} filter of list commands: as in CloudStack, a row is listed
 * when it carries any one of the given key/value pairs (a key alone: with any value).
 */
public final class TagFilter {

    private TagFilter() {
    }

    /** The condition (empty without tags) on rows of {@code type} whose id is {@code idColumn}. */
    public static ListScope.Sql where(TaggedType type, String idColumn, List<TagMatch> tags) {
        if (tags.isEmpty()) {
            return new ListScope.Sql("", List.of());
        }
        List<Object> args = new ArrayList<>();
        args.add(type.name());
        List<String> pairs = new ArrayList<>();
        for (TagMatch tag : tags) {
            args.add(tag.key());
            if (tag.value().isPresent()) {
                pairs.add("(t.tag_key = ? AND t.value = ?)");
                args.add(tag.value().get());
            } else {
                pairs.add("t.tag_key = ?");
            }
        }
        return new ListScope.Sql(" AND EXISTS (SELECT 1 FROM resource_tags t WHERE t.resource_type = ? AND t.resource_id = "
                + idColumn + " AND (" + String.join(" OR ", pairs) + "))", args);
    }
}
