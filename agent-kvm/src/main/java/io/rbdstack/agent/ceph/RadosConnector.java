package io.rbdstack.agent.ceph;

import com.ceph.rados.Rados;
import com.ceph.rados.exceptions.RadosException;
import io.rbdstack.storage.rbd.agent.RbdPool;
import java.net.InetAddress;
import java.util.Objects;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens librados for an {@link RbdPool}: its user, its monitors as {@code mon_host} (names resolved
 * first, see {@link MonitorAddresses}), its key through
 * {@code confSet("key", …)} (never a keyring file or an argument), and bounded timeouts. No
 * ceph.conf is read, so nothing on the host changes what the pool's definition says.
 */
public final class RadosConnector {

    private static final Logger LOG = LoggerFactory.getLogger(RadosConnector.class);

    private final RadosTimeouts timeouts;

    public RadosConnector(RadosTimeouts timeouts) {
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    }

    public RadosTimeouts timeouts() {
        return timeouts;
    }

    /**
     * A connected session; the caller closes it.
     *
     * @throws InvalidCephKeyException the key is malformed (librados never sees it)
     * @throws CephException           with librados' return code; ETIMEDOUT also when librados
     *                                 overran client_mount_timeout and the watchdog gave up
     */
    public RadosSession connect(RbdPool pool) throws CephException {
        CephKey key = CephKey.parse(pool.cephKey());
        String monHost;
        try {
            monHost = MonitorAddresses.monHost(pool.monitors(), InetAddress::getAllByName);
        } catch (CephException e) {
            throw new CephException("cannot connect to Ceph " + where(pool) + ": " + e.getMessage(), e.returnCode());
        }
        Rados rados = new Rados(pool.cephUser());
        try {
            rados.confSet("mon_host", monHost);
            rados.confSet("key", key.base64());
            rados.confSet("client_mount_timeout", seconds(timeouts.mount().toSeconds()));
            rados.confSet("rados_mon_op_timeout", seconds(timeouts.monOp().toSeconds()));
            rados.confSet("rados_osd_op_timeout", seconds(timeouts.osdOp().toSeconds()));
            // The agent reads and writes images only to back them up and restore them, once each, with
            // its own reads and writes in flight: librbd's cache (32 MiB per open image) would only
            // copy every byte once more and hold memory (measured: four backups at once took the
            // agent from 155 MiB to 460 MiB). The guests' disks are QEMU's, with their own settings.
            rados.confSet("rbd_cache", "false");
        } catch (RadosException e) {
            rados.shutDown();
            throw new CephException("cannot configure librados for " + where(pool) + ": "
                    + CephErrors.describe(e.getReturnValue()), e.getReturnValue(), e);
        }
        long start = System.nanoTime();
        try {
            // librados honours client_mount_timeout in every case measured here; the watchdog is for
            // the cases nobody measured, so that a command thread can never hang in rados_connect.
            BoundedCall.run("rados-connect-" + pool.cephUser(), timeouts.connectDeadline(), rados::connect,
                    rados::shutDown);
        } catch (TimeoutException e) {
            throw new CephException("cannot connect to Ceph " + where(pool) + ": rados_connect did not return within "
                    + timeouts.connectDeadline().toSeconds() + " s", -CephErrors.ETIMEDOUT);
        } catch (RadosException e) {
            rados.shutDown();
            throw new CephException("cannot connect to Ceph " + where(pool) + ": " + CephErrors.describe(e.getReturnValue())
                    + hint(e.getReturnValue()), e.getReturnValue(), e);
        } catch (Exception e) {
            rados.shutDown();
            throw new CephException("cannot connect to Ceph " + where(pool) + ": " + e, 0, e);
        }
        LOG.debug("Connected to Ceph {} in {} ms", where(pool), (System.nanoTime() - start) / 1_000_000);
        return new RadosSession(rados, pool);
    }

    private String hint(int returnCode) {
        return switch (CephErrors.onConnect(returnCode)) {
            case BAD_CREDENTIALS -> " (cephx refused the user or its key)";
            case MONITORS_UNREACHABLE -> Math.abs(returnCode) == CephErrors.ETIMEDOUT
                    ? " (no monitor answered within " + timeouts.mount().toSeconds() + " s)"
                    : " (no monitor address could be used)";
            default -> "";
        };
    }

    static String where(RbdPool pool) {
        return "at " + pool.monHost() + " as client." + pool.cephUser();
    }

    private static String seconds(long value) {
        return Long.toString(value);
    }
}
