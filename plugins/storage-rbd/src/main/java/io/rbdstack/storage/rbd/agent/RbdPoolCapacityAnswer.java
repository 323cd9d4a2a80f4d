package io.rbdstack.storage.rbd.agent;

import com.fasterxml.jackson.annotation.JsonTypeName;
import io.rbdstack.spi.agent.Answer;

/**
 * Capacity of one Ceph pool, as {@code ceph df} reports it for that pool: bytes stored (used),
 * bytes still available to it ({@code max_avail}), and the pool quota ({@code max_bytes}, 0 when
 * none). Total = min(used + available, quota when set).
 */
@JsonTypeName("rbd.poolCapacity")
public record RbdPoolCapacityAnswer(boolean success, String details, long usedBytes, long availableBytes,
                                    long quotaBytes) implements Answer {

    public long totalBytes() {
        long total = usedBytes + availableBytes;
        return quotaBytes > 0 ? Math.min(total, quotaBytes) : total;
    }
}
