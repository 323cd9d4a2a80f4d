package io.rbdstack.server.db.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rbdstack.server.db.embedded.LeftoverOwnership.NoLeftover;
import io.rbdstack.server.db.embedded.LeftoverOwnership.Ours;
import io.rbdstack.server.db.embedded.LeftoverOwnership.RunningProcess;
import io.rbdstack.server.db.embedded.LeftoverOwnership.Unproven;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LeftoverOwnershipTest {

    private static final Path DATA = Path.of("/var/lib/rbdstack/db/data");
    private static final String OUR_SERVER = "/var/lib/rbdstack/db/mariadb-11.4/bin/mariadbd --no-defaults"
            + " --port=40000 --datadir=/var/lib/rbdstack/db/data --socket=/var/lib/rbdstack/db/run/mariadb.sock";

    @Test
    void aServerOnOurDataDirNamedByItsPidFileIsOurs() {
        assertEquals(new Ours(42), LeftoverOwnership.judge(DATA, List.of(42L),
                List.of(new RunningProcess(1, "/sbin/init"), new RunningProcess(42, OUR_SERVER))));
    }

    @Test
    void aServerOnOurDataDirThatNoPidFileNamesIsUnprovenAndNotOurs() {
        assertEquals(new Unproven(42, "its pid is in no pid file of the data dir"),
                LeftoverOwnership.judge(DATA, List.of(7L), List.of(new RunningProcess(42, OUR_SERVER))));
    }

    @Test
    void aPidFileNamingAnotherProgramOrAnotherDataDirsServerIsStale() {
        String otherServer = OUR_SERVER.replace("--datadir=/var/lib/rbdstack/db/data", "--datadir=/srv/other/data");
        String notAServer = "/usr/bin/vim /var/lib/rbdstack/db/data/notes --datadir=/var/lib/rbdstack/db/data";
        assertEquals(new NoLeftover(), LeftoverOwnership.judge(DATA, List.of(42L, 43L),
                List.of(new RunningProcess(42, otherServer), new RunningProcess(43, notAServer))));
    }

    @Test
    void aDataDirUnderTmpSpelledAsMariaDb4jSpellsItStillMatches() {
        String server = "/tmp/x/mariadbd --datadir=/./tmp/rbdstack/server/db/data --port=1";
        assertEquals(new Ours(9), LeftoverOwnership.judge(Path.of("/tmp/rbdstack/server/db/data"), List.of(9L),
                List.of(new RunningProcess(9, server))));
    }

    @Test
    void aDataDirThatOnlyStartsLikeOursIsAnotherOne() {
        String server = OUR_SERVER.replace("--datadir=/var/lib/rbdstack/db/data", "--datadir=/var/lib/rbdstack/db/data2");
        assertEquals(new NoLeftover(), LeftoverOwnership.judge(DATA, List.of(42L), List.of(new RunningProcess(42, server))));
    }

    @Test
    void theDatadirIsTheLastOneGivenAndMysqldCountsAsAServer() {
        assertEquals(Optional.of(Path.of("/b")), LeftoverOwnership.datadirOf("mysqld --datadir=/a --datadir=/b"));
        assertEquals(true, LeftoverOwnership.isMariaDbServer("/usr/sbin/mysqld --datadir=/a"));
        assertEquals(false, LeftoverOwnership.isMariaDbServer("/usr/bin/mariadbd-safe --datadir=/a"));
    }
}
