package io.rbdstack.spi.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NfsStoreUrlTest {

    @Test
    void cloudStacksFormNamesServerAndExport() {
        NfsStoreUrl url = NfsStoreUrl.parse("nfs://10.0.0.5/export/secondary/");
        assertEquals("10.0.0.5", url.server());
        assertEquals("/export/secondary", url.export());
        assertEquals(OptionalInt.empty(), url.nfsPort());
        assertEquals("nfs://10.0.0.5/export/secondary", url.url());
    }

    @Test
    void portsGoInTheQueryAsLibnfsReadsThem() {
        NfsStoreUrl url = NfsStoreUrl.parse("NFS://nfs.example.org/export?nfsport=2049&mountport=20048");
        assertEquals(OptionalInt.of(2049), url.nfsPort());
        assertEquals(OptionalInt.of(20048), url.mountPort());
        assertEquals("nfs://nfs.example.org/export?nfsport=2049&mountport=20048", url.url());
        assertEquals("nfs://h/e?mountport=7", NfsStoreUrl.parse("nfs://h/e?mountport=7").url());
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            nfs:///export                     | names no NFS server
            nfs://10.0.0.5                    | names no export path
            nfs://10.0.0.5/                   | names no export path
            nfs://10.0.0.5:2049/export        | has a user or a port
            nfs://root@10.0.0.5/export        | has a user or a port
            nfs://10.0.0.5/a/../etc           | is not normalised
            nfs://10.0.0.5/a//b               | is not normalised
            nfs://10.0.0.5/a%00b              | is not normalised
            nfs://10.0.0.5/export?uid=0       | unknown option uid
            nfs://10.0.0.5/export?nfsport=0   | must be a port number
            nfs://10.0.0.5/export?nfsport=x   | must be a port number
            nfs://10.0.0.5/export#x           | has a fragment
            file:///srv/backups               | not an NFS URL
            nfs://a b/export                  | not a URL
            """)
    void malformedUrlsAreRefusedSayingWhy(String url, String why) {
        ImageStorePathException e = assertThrows(ImageStorePathException.class, () -> NfsStoreUrl.parse(url));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void onlyTheNfsSchemeIsNfs() {
        assertTrue(NfsStoreUrl.isNfs(" nfs://h/e"));
        assertFalse(NfsStoreUrl.isNfs("file:///srv"));
        assertFalse(NfsStoreUrl.isNfs(null));
    }
}
