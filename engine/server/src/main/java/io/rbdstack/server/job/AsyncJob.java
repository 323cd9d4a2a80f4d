package io.rbdstack.server.job;

import java.time.Instant;

/**
 * One row of async_job. Status: 0 pending, 1 succeeded, 2 failed (CloudStack's values). The byte counts
 * are null unless the job reported a transfer; {@code transfersAhead} is set only while its transfer waits for a
 * worker of its host (how many waiting transfers are ahead of it).
 */
public record AsyncJob(long id, String uuid, long userId, String userUuid, long accountId, String accountUuid, String cmd,
                       String instanceType, String instanceId, int status, int processStatus, int resultCode,
                       String resultType, String result, long executingMsid, Instant created, Instant completed,
                       Long bytesDone, Long bytesTotal, Long bytesPerSecond,
                       Integer transfersAhead) {

    public static final int PENDING = 0;
    public static final int SUCCEEDED = 1;
    public static final int FAILED = 2;
}
