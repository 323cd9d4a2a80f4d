package io.rbdstack.server.alert;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Raises alerts, as CloudStack's AlertManager does, and logs each at WARN. A lasting condition (a host
 * Disconnected, a pool over a threshold or unusable) has one alert from when it starts until it ends, however
 * often it is seen meanwhile. Failing to record an alert is logged and never fails what noticed it.
 */
public final class Alerts {

    private static final Logger LOG = LoggerFactory.getLogger(Alerts.class);

    private final AlertRepository alerts;

    public Alerts(AlertRepository alerts) {
        this.alerts = alerts;
    }

    /** The host went Alert or Disconnected. */
    public void hostDown(String hostUuid, String subject) {
        conditionStarted(AlertType.HOST, hostUuid, subject, () -> alerts.ofHost(hostUuid));
    }

    /** The host is Up again. */
    public void hostUp(String hostUuid) {
        conditionEnded(AlertType.HOST, hostUuid);
    }

    /** A VM's domain runs on a host while the database has the VM stopped ({@code holds}), or no longer. */
    public void strayDomain(String vmUuid, boolean holds, String subject) {
        if (holds) {
            conditionStarted(AlertType.SYNC, vmUuid, subject, () -> AlertRepository.Location.NONE);
        } else {
            conditionEnded(AlertType.SYNC, vmUuid);
        }
    }

    /** A pool condition of {@code type} holds now ({@code holds}) or no longer. */
    public void pool(AlertType type, long poolId, String poolUuid, boolean holds, String subject) {
        if (holds) {
            conditionStarted(type, poolUuid, subject, () -> alerts.ofPool(poolId));
        } else {
            conditionEnded(type, poolUuid);
        }
    }

    /** Something failed once (a snapshot backup): its own alert every time. */
    public void failed(AlertType type, String resourceUuid, String subject) {
        try {
            alerts.raise(type, resourceUuid, subject, AlertRepository.Location.NONE);
            LOG.warn("Alert {}: {}", type.alertName(), subject);
        } catch (RuntimeException e) {
            LOG.error("Could not record alert {} ({}): {}", type.alertName(), subject, e.getMessage(), e);
        }
    }

    private void conditionStarted(AlertType type, String resourceUuid, String subject,
                                  java.util.function.Supplier<AlertRepository.Location> where) {
        try {
            if (alerts.raiseOpen(type, resourceUuid, subject, where.get())) {
                LOG.warn("Alert {}: {}", type.alertName(), subject);
            }
        } catch (RuntimeException e) {
            LOG.error("Could not record alert {} ({}): {}", type.alertName(), subject, e.getMessage(), e);
        }
    }

    private void conditionEnded(AlertType type, String resourceUuid) {
        try {
            if (alerts.resolve(type, resourceUuid)) {
                LOG.info("Alert {} about {} is over", type.alertName(), resourceUuid);
            }
        } catch (RuntimeException e) {
            LOG.error("Could not resolve alert {} about {}: {}", type.alertName(), resourceUuid, e.getMessage(), e);
        }
    }
}
