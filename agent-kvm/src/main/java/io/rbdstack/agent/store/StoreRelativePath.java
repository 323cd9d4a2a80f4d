package io.rbdstack.agent.store;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * A file's place inside an image store, as the server names it ({@code snapshots/2/7/<id>.rbddiff}):
 * the directories leading to it and its name, each a plain name, so the agent can walk to it one
 * directory at a time without ever leaving the store.
 */
public record StoreRelativePath(String relative, List<String> directories, String name) {

    public StoreRelativePath {
        directories = List.copyOf(directories);
    }

    /** {@code relative} split into plain names; an absolute path, an empty or a . or .. segment is refused. */
    public static StoreRelativePath parse(String relative, Object root) throws IOException {
        String[] names = relative == null ? new String[0] : relative.split("/", -1);
        boolean plain = names.length > 0 && Arrays.stream(names).noneMatch(name -> name.isEmpty() || name.equals(".")
                || name.equals("..") || name.chars().anyMatch(Character::isISOControl));
        if (!plain) {
            throw new IOException("path " + relative + " is not inside image store " + root + ": it must be relative,"
                    + " with no empty, . or .. segment");
        }
        return new StoreRelativePath(relative, List.of(names).subList(0, names.length - 1), names[names.length - 1]);
    }
}
