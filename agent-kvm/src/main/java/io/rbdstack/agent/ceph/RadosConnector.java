package io.rbdstack.agent.ceph;

import com.ceph.rados.Rados;
import com.ceph.rados.exceptions.RadosException;
import io.rbdstack.spi.agent.AgentCommand;
import io.rbdstack.storage.rbd.agent.RbdPool;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens librados for an {@link RbdPool}: its user, its monitors as {@code mon_host} (names resolved
 * first, see {@link MonitorAddresses}), its key through
 * {@code confSet("key", …)} (never a keyring file or an argument), and bounded timeouts. No
 * ceph.conf is read, so nothing on the host changes what the pool's definition says.
 *
 * <p>Connections are shared ({@link SharedConnections}): commands with the same monitors, user, key and
 * {@link Traffic} use one librados handle, open until it has been idle for {@link #idleLifetime()}; another
 * key for the same monitors, user and traffic closes it, and so does a failure that may be the connection's
 * ({@link #retireAfter}). Measured: {@code rados_connect} took 10–20 ms on a monitor's standard
 * ports and 0.2–0.3 s on a non-standard v1 port (librados tries msgr2 there first), every command.
 *
 * <p>Transfers (backups, restores, flattens: {@link AgentCommand#transfer()}) share a connection of their own
 * ({@link Traffic}): on the one connection with two full backups running, a deleteVolume's image removal took 3.7–5.9 s
 * (its requests wait behind the backups' reads, in librbd's one request thread of the connection and at the OSD,
 * which serves one client's requests in order), against 0.7 s for {@code rbd rm} beside them.
 */
public final class RadosConnector implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RadosConnector.class);
    /** How long an unused connection stays open; 0 connects for every command (the system property, seconds). */
    public static final Duration DEFAULT_IDLE_LIFETIME = Duration.ofSeconds(
            Long.getLong("rbdstack.ceph.connection.idle.seconds", 60));

    /** Which commands share a connection: transfers never queue other commands' requests behind their data. */
    public enum Traffic {
        COMMANDS, TRANSFERS;

        /** The traffic of {@code command}: what it declares of itself. */
        public static Traffic of(AgentCommand command) {
            return command.transfer() ? TRANSFERS : COMMANDS;
        }
    }

    /** Who a connection is for. Its key's toString is masked, and equality is the key's bytes. */
    record Identity(String monHost, String user, CephKey key, Traffic traffic) {
    }

    /** What one connection may serve at a time: the key is the credential that may change. */
    private record Slot(String monHost, String user, Traffic traffic) {
    }

    private final RadosTimeouts timeouts;
    private final Duration idleLifetime;
    private final SharedConnections<Identity, Rados> connections;
    private final ScheduledExecutorService idleCloser;

    public RadosConnector(RadosTimeouts timeouts) {
        this(timeouts, DEFAULT_IDLE_LIFETIME);
    }

    public RadosConnector(RadosTimeouts timeouts, Duration idleLifetime) {
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        this.idleLifetime = Objects.requireNonNull(idleLifetime, "idleLifetime");
        this.connections = new SharedConnections<>(id -> new Slot(id.monHost(), id.user(), id.traffic()), this::open,
                Rados::shutDown, idleLifetime, System::nanoTime);
        if (idleLifetime.isZero()) {
            idleCloser = null;
        } else {
            idleCloser = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "rados-idle-closer");
                t.setDaemon(true);
                return t;
            });
            long every = Math.max(1000, idleLifetime.toMillis() / 4);
            idleCloser.scheduleWithFixedDelay(connections::closeIdle, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** How long an unused connection is kept open. */
    public Duration idleLifetime() {
        return idleLifetime;
    }

    /** Connections kept open for later commands now. */
    public int openConnections() {
        return connections.open();
    }

    public RadosTimeouts timeouts() {
        return timeouts;
    }

    /**
     * A session on the shared connection for the pool's monitors, user and key (connected first if
     * there is none); the caller closes it, which keeps the connection for the next command.
     *
     * @throws InvalidCephKeyException the key is malformed (librados never sees it)
     * @throws CephException           with librados' return code; ETIMEDOUT also when librados
     *                                 overran client_mount_timeout and the watchdog gave up
     */
    public RadosSession connect(RbdPool pool) throws CephException {
        return connect(pool, Traffic.COMMANDS);
    }

    /** {@link #connect(RbdPool)} on the shared connection of {@code traffic}. */
    public RadosSession connect(RbdPool pool, Traffic traffic) throws CephException {
        SharedConnections<Identity, Rados>.Lease lease = connections.lease(identity(pool, traffic));
        return new RadosSession(lease.connection(), pool, lease::release);
    }

    /**
     * A session on a connection of its own, closed with it: for checks that must authenticate now
     * (a pool definition's probe), not reuse what authenticated earlier.
     */
    public RadosSession connectAlone(RbdPool pool) throws CephException {
        Rados rados = open(identity(pool, Traffic.COMMANDS));
        return new RadosSession(rados, pool, rados::shutDown);
    }

    /**
     * After a command on {@code pool} failed with {@code failure}: when it may be the connection's
     * (a timeout, a refused or lost connection, cephx refusing), its shared connections (both traffics': the
     * monitors and the credential are theirs too) are closed so the next commands connect anew. A failure of the
     * request itself (no such image…) keeps them.
     */
    public void retireAfter(RbdPool pool, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof CephException ceph && CephErrors.mayBeTheConnection(ceph.returnCode())) {
                Identity commands;
                try {
                    commands = identity(pool, Traffic.COMMANDS); // resolved once: DNS may be what is failing
                } catch (CephException e) {
                    return; // a malformed key or monitor list: no connection was ever made for it
                }
                for (Traffic traffic : Traffic.values()) {
                    Identity identity = new Identity(commands.monHost(), commands.user(), commands.key(), traffic);
                    if (connections.retire(identity)) {
                        LOG.info("Closing the Ceph connection {} ({}) after {}", where(pool),
                                traffic.name().toLowerCase(Locale.ROOT), CephErrors.describe(ceph.returnCode()));
                    }
                }
                return;
            }
        }
    }

    /** Closes the unused connections now, the others when their commands end. */
    @Override
    public void close() {
        if (idleCloser != null) {
            idleCloser.shutdownNow();
        }
        connections.close();
    }

    private static Identity identity(RbdPool pool, Traffic traffic) throws CephException {
        CephKey key = CephKey.parse(pool.cephKey());
        try {
            return new Identity(MonitorAddresses.monHost(pool.monitors(), InetAddress::getAllByName), pool.cephUser(),
                    key, traffic);
        } catch (InvalidCephKeyException e) {
            throw e;
        } catch (CephException e) {
            throw new CephException("cannot connect to Ceph " + where(pool) + ": " + e.getMessage(), e.returnCode());
        }
    }

    private Rados open(Identity identity) throws CephException {
        String where = where(identity);
        Rados rados = new Rados(identity.user());
        try {
            rados.confSet("mon_host", identity.monHost());
            rados.confSet("key", identity.key().base64());
            rados.confSet("client_mount_timeout", seconds(timeouts.mount().toSeconds()));
            rados.confSet("rados_mon_op_timeout", seconds(timeouts.monOp().toSeconds()));
            rados.confSet("rados_osd_op_timeout", seconds(timeouts.osdOp().toSeconds()));
            // The agent reads and writes images only to back them up and restore them, once each, with
            // its own reads and writes in flight: librbd's cache (32 MiB per open image) would only
            // copy every byte once more and hold memory (measured: four backups at once took the
            // agent from 155 MiB to 460 MiB). The guests' disks are QEMU's, with their own settings.
            rados.confSet("rbd_cache", "false");
            // librbd copies each write before rbd_aio_write2 returns (Ceph's default; set here so that the monitors'
            // config cannot change it): a restore's buffer is free again at once. A pool's or image's conf_ metadata
            // still beats it: WriteBehind reads the image's own value (ImageConfig).
            rados.confSet("rbd_disable_zero_copy_writes", "true");
        } catch (RadosException e) {
            rados.shutDown();
            throw new CephException("cannot configure librados for " + where + ": "
                    + CephErrors.describe(e.getReturnValue()), e.getReturnValue(), e);
        }
        long start = System.nanoTime();
        try {
            // librados honours client_mount_timeout in every case measured here; the watchdog is for
            // the cases nobody measured, so that a command thread can never hang in rados_connect.
            BoundedCall.run("rados-connect-" + identity.user(), timeouts.connectDeadline(), rados::connect,
                    rados::shutDown);
        } catch (TimeoutException e) {
            throw new CephException("cannot connect to Ceph " + where + ": rados_connect did not return within "
                    + timeouts.connectDeadline().toSeconds() + " s", -CephErrors.ETIMEDOUT);
        } catch (RadosException e) {
            rados.shutDown();
            throw new CephException("cannot connect to Ceph " + where + ": " + CephErrors.describe(e.getReturnValue())
                    + hint(e.getReturnValue()), e.getReturnValue(), e);
        } catch (Exception e) {
            rados.shutDown();
            throw new CephException("cannot connect to Ceph " + where + ": " + e, 0, e);
        }
        LOG.debug("Connected to Ceph {} in {} ms", where, (System.nanoTime() - start) / 1_000_000);
        return rados;
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

    private static String where(Identity identity) {
        return "at " + identity.monHost() + " as client." + identity.user();
    }

    private static String seconds(long value) {
        return Long.toString(value);
    }
}
