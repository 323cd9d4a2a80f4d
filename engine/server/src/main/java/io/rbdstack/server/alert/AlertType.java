package io.rbdstack.server.alert;

/** The CloudStack alert types rbdstack raises, with CloudStack's numbers and names (AlertService.AlertType). */
public enum AlertType {
    /** A pool's used capacity crossed pool.storage.capacity.disablethreshold (CloudStack's capacity type 2). */
    STORAGE(2, "ALERT.STORAGE"),
    /** A pool's allocated capacity crossed pool.storage.allocated.capacity.disablethreshold (capacity type 3). */
    STORAGE_ALLOCATED(3, "ALERT.STORAGE.ALLOCATED"),
    /** A user VM failed (a start that found no host, an expunge that failed). */
    USERVM(8, "ALERT.USERVM"),
    /** A host went Alert or Disconnected. */
    HOST(7, "ALERT.COMPUTE.HOST"),
    /** Anything else about storage: a pool its hosts cannot use, a failed snapshot backup. */
    STORAGE_MISC(12, "ALERT.STORAGE.MISC"),
    /** A VM's state was changed to what its host reports (a VM that stopped out of band). */
    SYNC(27, "ALERT.TYPE.SYNC"),
    /**
     * rbdstack's own (CloudStack has no backup verification): a snapshot backup failed its verification
     * (missing, truncated, wrong chain link, checksum mismatch). 120 is no CloudStack alert or capacity type.
     */
    BACKUP_DAMAGED(120, "ALERT.STORAGE.BACKUP.DAMAGED");

    private final int number;
    private final String alertName;

    AlertType(int number, String alertName) {
        this.number = number;
        this.alertName = alertName;
    }

    public int number() {
        return number;
    }

    public String alertName() {
        return alertName;
    }
}
