package io.rbdstack.agent.ceph;

import com.ceph.rados.IoCTX;
import com.ceph.rados.exceptions.RadosException;
import io.rbdstack.storage.rbd.agent.RbdPool;
import io.rbdstack.storage.rbd.agent.TestRbdPoolAnswer;
import io.rbdstack.storage.rbd.agent.TestRbdPoolAnswer.Failure;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ceph half of {@code TestRbdPoolCommand}: can this host connect with the pool's user and key,
 * does the Ceph pool exist, and may the user write to it (a probe object is written and removed).
 * The first check that fails decides the answer.
 */
public final class RbdPoolProbe {

    private static final Logger LOG = LoggerFactory.getLogger(RbdPoolProbe.class);
    private static final byte[] PROBE_DATA = "rbdstack write probe".getBytes(StandardCharsets.US_ASCII);

    private final RadosConnector connector;

    public RbdPoolProbe(RadosConnector connector) {
        this.connector = Objects.requireNonNull(connector, "connector");
    }

    public TestRbdPoolAnswer probe(RbdPool pool) {
        RadosSession session;
        try {
            session = connector.connectAlone(pool); // a definition is checked with a fresh authentication
        } catch (InvalidCephKeyException e) {
            return failed(pool, Failure.BAD_CREDENTIALS, e.getMessage());
        } catch (CephException e) {
            return failed(pool, CephErrors.onConnect(e.returnCode()), e.getMessage());
        }
        try (session) {
            IoCTX io;
            try {
                io = session.ioCtx();
            } catch (CephException e) {
                Failure failure = CephErrors.onOpenPool(e.returnCode());
                String details = switch (failure) {
                    case NO_SUCH_POOL -> "Ceph pool '" + pool.cephPool() + "' does not exist ("
                            + CephErrors.describe(e.returnCode()) + ")";
                    default -> Math.abs(e.returnCode()) == CephErrors.ETIMEDOUT
                            ? e.getMessage() + ": no OSD map within " + connector.timeouts().monOp().toSeconds()
                                    + " s (does client." + pool.cephUser() + " have mon 'profile rbd'?)"
                            : e.getMessage();
                };
                return failed(pool, failure, details);
            }
            String object = "rbdstack-probe-" + UUID.randomUUID();
            try {
                io.write(object, PROBE_DATA);
            } catch (RadosException e) {
                return failed(pool, CephErrors.onWrite(e.getReturnValue()), "client." + pool.cephUser()
                        + " cannot write to Ceph pool '" + pool.cephPool() + "': " + CephErrors.describe(e.getReturnValue()));
            }
            try {
                io.remove(object);
            } catch (RadosException e) {
                return failed(pool, CephErrors.onWrite(e.getReturnValue()), "client." + pool.cephUser()
                        + " wrote but cannot remove probe object " + object + " in Ceph pool '" + pool.cephPool()
                        + "': " + CephErrors.describe(e.getReturnValue()));
            }
        }
        LOG.info("RBD pool {} passed the Ceph checks: client.{} reaches {} and can write to pool '{}'",
                pool.uuid(), pool.cephUser(), pool.monHost(), pool.cephPool());
        return TestRbdPoolAnswer.ok();
    }

    private static TestRbdPoolAnswer failed(RbdPool pool, Failure failure, String details) {
        LOG.info("RBD pool {} failed the Ceph checks: {}: {}", pool.uuid(), failure, details);
        return TestRbdPoolAnswer.failed(failure, details);
    }
}
