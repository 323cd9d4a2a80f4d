package io.rbdstack.spi.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageStorePathTest {

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            file:///../../etc                | has a '..' segment
            file:///%2e%2e/etc               | has a '..' segment
            file:///%2E%2E%2Fetc             | has a '..' segment
            file:///srv/.%2e/etc             | has a '..' segment
            file:///srv/a%2f..%2f..%2fetc    | has a '..' segment
            file:///tmp/store/../../etc      | has a '..' segment
            file:///srv/./backups            | has a '.' segment
            file:///srv/%2E/backups          | has a '.' segment
            file:///%c0%ae%c0%ae/etc         | a percent-escape that is not UTF-8
            file:///srv/x%00y                | a control character
            file:///srv/x%0Ay                | a control character
            file:///etc                      | may not be /etc or anything below it
            file:///etc/backups              | may not be /etc or anything below it
            file:////etc                     | may not be /etc or anything below it
            file:/etc/                       | may not be /etc or anything below it
            file:///lib64/x                  | may not be /lib* or anything below it
            file:///lib                      | may not be /lib* or anything below it
            file:///libx32/y                 | may not be /lib* or anything below it
            file:///usr/local/backups        | may not be /usr or anything below it
            file:///var/lib/rbdstack         | may not be /var/lib or anything below it
            file:///var/run/x                | may not be /var/run or anything below it
            file:///proc/self/cwd            | may not be /proc or anything below it
            file:///dev/shm/store            | may not be /dev or anything below it
            file:///run/store                | may not be /run or anything below it
            file:///sys                      | may not be /sys or anything below it
            file:///boot/x                   | may not be /boot or anything below it
            file:///bin                      | may not be /bin or anything below it
            file:///sbin/x                   | may not be /sbin or anything below it
            file:///root/backups             | may not be /root or anything below it
            file:///                         | but not / itself
            file:////                        | but not / itself
            file:///var                      | but not /var itself
            file:///var/tmp/                 | but not /var/tmp itself
            file:///tmp                      | but not /tmp itself
            file:///home                     | but not /home itself
            file://remote-host/path          | names host remote-host: an image store is a directory mounted at the same path on every KVM host of the zone
            file://remote-host/path          | give file:///<path> (three slashes), e.g. file:///path
            file://localhost/srv/backups     | names host localhost
            file://user@/srv/backups         | names host user@
            file://host:2049/srv             | names host host:2049
            file://                          | not a URL
            file:srv/backups                 | is not absolute
            file:///srv/x?y=1                | has a query or fragment
            file:///srv/x#y                  | has a query or fragment
            nfs://10.0.0.1/export            | unsupported image store URL
            /srv/backups                     | unsupported image store URL
            http://x/y                       | unsupported image store URL
            file:///srv/a b                  | not a URL
            """)
    void refusedUrlsSayWhy(String url, String why) {
        ImageStorePathException refused = assertThrows(ImageStorePathException.class,
                () -> ImageStorePath.fromUrl(url));
        assertTrue(refused.getMessage().contains(why), refused.getMessage());
    }

    @ParameterizedTest(name = "{0} is accepted as {1}")
    @CsvSource(delimiter = '|', textBlock = """
            file:///srv/backups              | /srv/backups         | file:///srv/backups
            file:///mnt/secondary            | /mnt/secondary       | file:///mnt/secondary
            file:///mnt/secondary/           | /mnt/secondary       | file:///mnt/secondary
            file:////srv//backups//          | /srv/backups         | file:///srv/backups
            file:/srv/backups                | /srv/backups         | file:///srv/backups
            FILE:///srv/backups              | /srv/backups         | file:///srv/backups
            '  file:///srv/backups '         | /srv/backups         | file:///srv/backups
            file:///mnt                      | /mnt                 | file:///mnt
            file:///srv                      | /srv                 | file:///srv
            file:///tmp/store                | /tmp/store           | file:///tmp/store
            file:///var/tmp/store            | /var/tmp/store       | file:///var/tmp/store
            file:///var/backups/rbdstack     | /var/backups/rbdstack | file:///var/backups/rbdstack
            file:///home/backups             | /home/backups        | file:///home/backups
            file:///opt/store                | /opt/store           | file:///opt/store
            file:///srv/etc                  | /srv/etc             | file:///srv/etc
            file:///ETC                      | /ETC                 | file:///ETC
            file:///srv/a%20b                | /srv/a b             | file:///srv/a%20b
            file:///srv/%252e%252e           | /srv/%2e%2e          | file:///srv/%252e%252e
            file:///srv/...                  | /srv/...             | file:///srv/...
            file:///srv/%C3%A9t%C3%A9        | /srv/été             | file:///srv/%C3%A9t%C3%A9
            """)
    void acceptedUrlsAreNormalised(String url, String directory, String normalisedUrl) {
        ImageStorePath path = ImageStorePath.fromUrl(url);
        assertEquals(directory, path.directory());
        assertEquals(normalisedUrl, path.url());
        // What the server stores, the agent reads back as the same directory.
        assertEquals(path, ImageStorePath.fromUrl(path.url()));
    }

    @Test
    void everySystemTreeIsRefusedWithWhatIsBelowIt() {
        for (String tree : ImageStorePath.SYSTEM_TREES) {
            String directory = tree.replace("*", "64");
            assertThrows(ImageStorePathException.class, () -> ImageStorePath.of(directory), directory);
            assertThrows(ImageStorePathException.class, () -> ImageStorePath.of(directory + "/store"), directory);
        }
    }

    @Test
    void aSharedParentIsRefusedButADirectoryOfItsOwnBelowItIsNot() {
        for (String parent : ImageStorePath.SHARED_PARENTS) {
            assertThrows(ImageStorePathException.class, () -> ImageStorePath.of(parent), parent);
            String below = (parent.equals("/") ? "" : parent) + "/store";
            if (ImageStorePath.SYSTEM_TREES.stream().noneMatch(tree -> below.startsWith(tree + "/"))) {
                assertEquals(below, ImageStorePath.of(below).directory());
            }
        }
    }

    @Test
    void aPathIsNormalisedBeforeItIsChecked() {
        assertEquals("/srv/backups", ImageStorePath.of("//srv///backups/").directory());
        assertThrows(ImageStorePathException.class, () -> ImageStorePath.of("//etc/"));
        assertThrows(ImageStorePathException.class, () -> ImageStorePath.of("srv/backups"));
        assertThrows(ImageStorePathException.class, () -> ImageStorePath.of(""));
        ImageStorePathException unnormalised = assertThrows(ImageStorePathException.class,
                () -> new ImageStorePath("/srv//backups/"));
        assertTrue(unnormalised.getMessage().contains("give /srv/backups"), unnormalised.getMessage());
    }

    @Test
    void theDocsListEveryRefusedDirectory() throws Exception {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docs/snapshots-and-backups.md"))) {
            dir = dir.getParent();
        }
        List<String> lines = Files.readAllLines(dir.resolve("docs/snapshots-and-backups.md"));
        assertEquals(ImageStorePath.SYSTEM_TREES, listedAfter(lines, "**Refused with everything below them**"));
        assertEquals(ImageStorePath.SHARED_PARENTS, listedAfter(lines, "**Refused only themselves**"));
    }

    /** The directories the docs' list item that starts with {@code heading} names after its last colon. */
    private static List<String> listedAfter(List<String> lines, String heading) {
        StringBuilder item = new StringBuilder();
        for (String line : lines) {
            if (line.trim().startsWith("- " + heading)) {
                item.append(line);
            } else if (item.length() > 0 && line.startsWith("    ")) {
                item.append(' ').append(line.trim());
            } else if (item.length() > 0) {
                break;
            }
        }
        String listed = item.substring(item.lastIndexOf(":") + 1);
        return Arrays.stream(listed.split(",")).map(s -> s.trim().replaceAll("^`|`\\.?$", "")).toList();
    }
}
