package io.rbdstack.spi.agent.store;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.Answer;

/**
 * A backup file's verification. {@code success} says the check ran (the store could be read); then
 * {@code damage} is null when the file is whole, else what is wrong, with {@code details} saying it
 * precisely. {@code success} false (the store unreachable, a timeout) says nothing about the file.
 */
@JsonTypeName("store.backupVerified")
public record BackupVerifiedAnswer(boolean success, String details, BackupDamage damage, long bytesRead)
        implements Answer {

    public static BackupVerifiedAnswer whole(long bytesRead) {
        return new BackupVerifiedAnswer(true, null, null, bytesRead);
    }

    public static BackupVerifiedAnswer damaged(BackupDamage damage, String details, long bytesRead) {
        return new BackupVerifiedAnswer(true, details, damage, bytesRead);
    }

    public static BackupVerifiedAnswer failed(String details) {
        return new BackupVerifiedAnswer(false, details, null, 0);
    }
}
