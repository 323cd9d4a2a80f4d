package io.rbdstack.agent.store;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The commit of a directory store's partial file: a new name for it that never replaces a file already
 * there, which Java's file API cannot do relative to a directory. The file's directory is opened from the
 * store's root one name at a time with O_NOFOLLOW, as {@link NoFollowDirectories} does, and the partial
 * linked to its name with linkat(2), which fails with EEXIST when the name is taken (on NFS too, where
 * RENAME_NOREPLACE is not offered); a file system without hard links gets renameat2(RENAME_NOREPLACE).
 */
final class NoReplaceCommit {

    private static final int EPERM = 1;
    private static final int EEXIST = 17;
    private static final int EMLINK = 31;
    private static final int EOPNOTSUPP = 95;
    private static final int O_RDONLY = 0;
    // x86_64 values (aarch64 swaps O_DIRECTORY and O_NOFOLLOW for 040000 and 0100000; others differ again).
    private static final String ARCH = System.getProperty("os.arch");
    private static final boolean AARCH64 = "aarch64".equals(ARCH);
    private static final boolean KNOWN_ARCH = AARCH64 || "amd64".equals(ARCH) || "x86_64".equals(ARCH);
    private static final int O_DIRECTORY = AARCH64 ? 040000 : 0200000;
    private static final int O_NOFOLLOW = AARCH64 ? 0100000 : 0400000;
    private static final int O_CLOEXEC = 02000000;
    private static final int RENAME_NOREPLACE = 1;

    private interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);

        int open(String path, int flags) throws LastErrorException;

        int openat(int dirfd, String path, int flags) throws LastErrorException;

        int linkat(int oldDirfd, String oldPath, int newDirfd, String newPath, int flags) throws LastErrorException;

        int renameat2(int oldDirfd, String oldPath, int newDirfd, String newPath, int flags) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private NoReplaceCommit() {
    }

    /**
     * Gives {@code partial} in {@code directories} below {@code root} the name {@code name} too; false,
     * with nothing changed, when {@code name} is taken. The partial keeps its own name after a link
     * (the caller removes it); after the renameat2 fallback it has none.
     */
    static boolean commit(Path root, List<String> directories, String partial, String name) throws IOException {
        if (!KNOWN_ARCH) {
            throw new IOException("cannot commit " + name + " without replacing: the open(2) flags of " + ARCH
                    + " are not known to the agent (x86_64 and aarch64 are)");
        }
        int dir = open(root, directories);
        try {
            try {
                LibC.INSTANCE.linkat(dir, partial, dir, name, 0);
                return true;
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EEXIST) {
                    return false;
                }
                if (e.getErrorCode() != EPERM && e.getErrorCode() != EOPNOTSUPP && e.getErrorCode() != EMLINK) {
                    throw failure("link " + partial + " to " + name, root, directories, e);
                }
            }
            try {
                LibC.INSTANCE.renameat2(dir, partial, dir, name, RENAME_NOREPLACE);
                return true;
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EEXIST) {
                    return false;
                }
                throw failure("rename " + partial + " to " + name + " (the file system has no hard links, and"
                        + " renameat2 without replacing failed)", root, directories, e);
            }
        } finally {
            LibC.INSTANCE.close(dir);
        }
    }

    private static int open(Path root, List<String> directories) throws IOException {
        int dir;
        try {
            dir = LibC.INSTANCE.open(root.toString(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw failure("open", root, List.of(), e);
        }
        for (int i = 0; i < directories.size(); i++) {
            try {
                int next = LibC.INSTANCE.openat(dir, directories.get(i), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                LibC.INSTANCE.close(dir);
                dir = next;
            } catch (LastErrorException e) {
                LibC.INSTANCE.close(dir);
                throw failure("open (no link followed)", root, directories.subList(0, i + 1), e);
            }
        }
        return dir;
    }

    private static IOException failure(String what, Path root, List<String> directories, LastErrorException e) {
        Path where = root;
        for (String directory : directories) {
            where = where.resolve(directory);
        }
        return new IOException("cannot " + what + " in " + where + " of image store " + root + ": "
                + e.getMessage(), e);
    }
}
