package io.rbdstack.server.snapshot.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Which slot a due policy takes: the one it was due at, and a next run after now, however many were missed. */
class PolicyRunnerSlotTest {

    private static SnapshotPolicyRepository.PolicyRow hourlyDueAt(Instant nextRun) {
        return new SnapshotPolicyRepository.PolicyRow(1, "p", 2, "v", "data", "Ready", false, 3, "15", "UTC",
                IntervalType.HOURLY, 4, true, nextRun);
    }

    @Test
    void afterDowntimeThePolicyTakesOneSnapshotAndItsNextRunIsTheFirstSlotAfterNow() {
        Instant now = Instant.parse("2024-05-01T17:40:12Z");
        SnapshotPolicyRepository.PolicyRow policy = hourlyDueAt(Instant.parse("2024-05-01T09:15:00Z"));
        PolicySchedule schedule = PolicySchedule.parse(IntervalType.HOURLY, "15", ZoneOffset.UTC);

        PolicyRunner.Slot slot = PolicyRunner.Slot.of(policy, schedule, now, PolicySlots.asScheduled());

        assertEquals(Instant.parse("2024-05-01T09:15:00Z"), slot.due(), "the claim is on the slot the row holds");
        assertEquals(Instant.parse("2024-05-01T18:15:00Z"), slot.next(), "08:15 … 17:15 are skipped, not taken");
    }

    @Test
    void onTimeTheNextRunIsTheNextSlot() {
        Instant now = Instant.parse("2024-05-01T09:15:00.400Z");
        SnapshotPolicyRepository.PolicyRow policy = hourlyDueAt(Instant.parse("2024-05-01T09:15:00Z"));
        PolicySchedule schedule = PolicySchedule.parse(IntervalType.HOURLY, "15", ZoneOffset.UTC);
        assertEquals(Instant.parse("2024-05-01T10:15:00Z"),
                PolicyRunner.Slot.of(policy, schedule, now, PolicySlots.asScheduled()).next());
    }
}
