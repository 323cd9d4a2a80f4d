package io.rbdstack.agent.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The directories of an image store, opened from its root one name at a time, each relative to the
 * one before and without following links (openat with O_NOFOLLOW, through
 * {@link SecureDirectoryStream}): a link planted anywhere in the store is refused with a message
 * saying where it is and where it points, never followed out of the store.
 */
final class NoFollowDirectories {

    /** The store's real path. */
    private final Path root;

    NoFollowDirectories(Path root) {
        this.root = root;
    }

    SecureDirectoryStream<Path> openRoot() throws IOException {
        var stream = Files.newDirectoryStream(root);
        if (stream instanceof SecureDirectoryStream<Path> secure) {
            return secure;
        }
        stream.close();
        throw new IOException("this platform cannot open files relative to a directory without following links,"
                + " which image stores need (Linux can)");
    }

    /**
     * The directory {@code file} is in, reached from the root one name at a time, none of them
     * followed if it is a link; with {@code create}, missing ones are made.
     */
    SecureDirectoryStream<Path> openDirectories(StoreRelativePath file, boolean create) throws IOException {
        SecureDirectoryStream<Path> current = openRoot();
        Path where = root;
        try {
            for (String directory : file.directories()) {
                Path name = Path.of(directory);
                where = where.resolve(directory);
                BasicFileAttributes attributes = attributes(current, name);
                if (attributes == null && create) {
                    createDirectory(where);
                    attributes = attributes(current, name);
                }
                if (attributes == null) {
                    throw new NoSuchFileException(where.toString(), null, "not in image store " + root);
                }
                if (attributes.isSymbolicLink()) {
                    throw linkRefused(where);
                }
                if (!attributes.isDirectory()) {
                    throw new IOException(where + " in image store " + root + " is not a directory");
                }
                // O_NOFOLLOW again: had the name become a link since, the open fails instead of following it.
                SecureDirectoryStream<Path> next = current.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
                current.close();
                current = next;
            }
            return current;
        } catch (IOException | RuntimeException e) {
            try {
                current.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /**
     * mkdir by full path (Java has no mkdirat); the directories above were just checked, and the new
     * one is opened relative to its parent without following links, so the worst a race can do is
     * leave an empty directory elsewhere, never have a file written there.
     */
    private static void createDirectory(Path directory) throws IOException {
        try {
            Files.createDirectory(directory);
        } catch (FileAlreadyExistsException e) {
            // Made by another backup meanwhile (or a link planted): checked once more by the caller.
        }
    }

    /** The attributes of the file itself in {@code dir}, null when there is none; a link or a non-file is refused. */
    BasicFileAttributes existingFile(SecureDirectoryStream<Path> dir, StoreRelativePath file)
            throws IOException {
        BasicFileAttributes attributes = attributes(dir, Path.of(file.name()));
        if (attributes != null && !attributes.isRegularFile()) {
            throw notAFile(file, attributes);
        }
        return attributes;
    }

    /** The attributes of {@code name} itself (a link is not followed); null when there is none. */
    static BasicFileAttributes attributes(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        try {
            return dir.getFileAttributeView(name, BasicFileAttributeView.class,
                    LinkOption.NOFOLLOW_LINKS).readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private IOException notAFile(StoreRelativePath file, BasicFileAttributes attributes) {
        Path where = root.resolve(file.relative());
        return attributes.isSymbolicLink() ? linkRefused(where)
                : new IOException(where + " in image store " + root + " is not a regular file");
    }

    private IOException linkRefused(Path where) {
        String target;
        try {
            target = " (to " + Files.readSymbolicLink(where) + ")";
        } catch (IOException | UnsupportedOperationException e) {
            target = ""; // only to say where it points; the refusal stands without it
        }
        return new IOException("refused: " + where + " in image store " + root + " is a symbolic link" + target
                + "; the agent follows no link inside a store, so that nothing outside it is read or written");
    }
}
