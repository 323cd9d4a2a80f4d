package io.rbdstack.server.db.embedded;

import java.nio.file.Path;

/** Starts an embedded MariaDB and waits to be killed: lets a test leave a server behind its dead JVM. */
public final class EmbeddedMariaDbInAnotherJvm {

    public static void main(String[] args) throws Exception {
        EmbeddedMariaDb db = EmbeddedMariaDb.start(Path.of(args[0]), 0);
        System.out.println("READY " + db.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
