package io.rbdstack.server.snapshot.policy;

import io.rbdstack.server.alert.AlertType;
import io.rbdstack.server.alert.Alerts;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.db.DataAccessException;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.snapshot.JobSubmitter;
import io.rbdstack.server.snapshot.SnapshotRepository;
import io.rbdstack.server.snapshot.SnapshotRetention;
import io.rbdstack.server.snapshot.SnapshotTaker;
import io.rbdstack.server.volume.VolumeRepository;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one due snapshot of a policy, on the server that wins its slot. The slot is claimed and the
 * snapshot saved Allocated (its volume Snapshotting) in one transaction, so a claimed slot always has
 * its snapshot, which then runs as a createSnapshot job of the volume's owner: listed by listAsyncJobs,
 * its failure recorded there. A snapshot that cannot even start (the volume busy, say) still uses up
 * its slot and is recorded as a failed job. The next run is computed from now, not from the missed
 * slot, so after downtime a policy catches up with one snapshot, not one per missed slot. A scheduled
 * snapshot that fails, refused at the start or in its job, raises an ALERT.STORAGE.MISC alert naming the
 * volume and the reason: nobody waits on a scheduled job's result, so without it a failing policy goes unseen.
 */
public final class PolicyRunner {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyRunner.class);
    static final String COMMAND = "createSnapshot";

    /** The slot a due policy takes at {@code now}: the one it was due at, and its next run after now. */
    record Slot(Instant due, Instant next) {
        static Slot of(SnapshotPolicyRepository.PolicyRow policy, PolicySchedule schedule, Instant now,
                       PolicySlots slots) {
            return new Slot(policy.nextRun(), slots.nextAfter(schedule, now));
        }
    }

    /** What this server did with a due policy. */
    enum Outcome { STARTED, REFUSED, TAKEN_ELSEWHERE, SKIPPED }

    private final Jdbc jdbc;
    private final SnapshotPolicyRepository policies;
    private final VolumeRepository volumes;
    private final SnapshotTaker taker;
    private final JobSubmitter jobs;
    private final LongFunction<Optional<Caller>> owners;
    private final PolicySlots slots;
    private final Alerts alerts;

    /** @param owners the caller a policy's snapshots run as, by account id (UserRepository's firstActiveUserOf) */
    public PolicyRunner(Jdbc jdbc, SnapshotPolicyRepository policies, VolumeRepository volumes, SnapshotTaker taker,
                        JobSubmitter jobs, LongFunction<Optional<Caller>> owners, PolicySlots slots, Alerts alerts) {
        this.jdbc = jdbc;
        this.policies = policies;
        this.volumes = volumes;
        this.taker = taker;
        this.jobs = jobs;
        this.owners = owners;
        this.slots = slots;
        this.alerts = alerts;
    }

    Outcome run(SnapshotPolicyRepository.PolicyRow policy, Instant now) {
        PolicySchedule schedule;
        try {
            schedule = policy.parsedSchedule();
        } catch (IllegalArgumentException e) {
            // Saved valid, unreadable now (a time zone gone from the JDK's rules, say): stop rather than spin.
            policies.setDisplay(policy.id(), policy.display(), Optional.empty());
            LOG.error("Snapshot policy {} of volume {} stops: its schedule [{}] in time zone {} cannot be read any"
                    + " more ({}); create it again", policy.uuid(), policy.volumeName(), policy.schedule(),
                    policy.timezone(), e.getMessage());
            return Outcome.SKIPPED;
        }
        Slot slot = Slot.of(policy, schedule, now, slots);
        Optional<VolumeRepository.VolumeRow> volume = volumes.find(policy.volumeUuid());
        if (volume.isEmpty()) {
            policies.delete(List.of(policy.id()));
            LOG.info("Snapshot policy {} ended: its volume {} is deleted", policy.uuid(), policy.volumeName());
            return Outcome.SKIPPED;
        }
        Optional<Caller> owner = owners.apply(policy.accountId());
        if (owner.isEmpty()) {
            if (policies.claim(policy.id(), slot.due(), slot.next())) {
                LOG.warn("Snapshot policy {} skipped the snapshot of volume {} due at {}: the volume's account is"
                        + " disabled or has no enabled user", policy.uuid(), policy.volumeName(), slot.due());
                return Outcome.SKIPPED;
            }
            return Outcome.TAKEN_ELSEWHERE;
        }
        Map<String, String> params = Map.of("volumeid", policy.volumeUuid(), "policyid", policy.uuid());
        Optional<SnapshotRepository.SnapshotRow> allocated;
        try {
            allocated = claimAndAllocate(policy, slot, volume.get());
        } catch (ApiException refused) {
            if (!policies.claim(policy.id(), slot.due(), slot.next())) {
                return Outcome.TAKEN_ELSEWHERE;
            }
            LOG.warn("Snapshot policy {} could not take the snapshot of volume {} due at {}: {}", policy.uuid(),
                    policy.volumeName(), slot.due(), refused.getMessage());
            failed(policy, refused);
            jobs.submit(owner.get(), COMMAND, params, new AsyncCommand.AsyncStart("Volume", policy.volumeUuid(),
                    progress -> {
                        throw refused;
                    }));
            return Outcome.REFUSED;
        }
        if (allocated.isEmpty()) {
            LOG.debug("Snapshot policy {}: the snapshot due at {} was taken by another management server",
                    policy.uuid(), slot.due());
            return Outcome.TAKEN_ELSEWHERE;
        }
        AsyncCommand.AsyncStart snapshot = taker.job(owner.get(), allocated.get(), false,
                Optional.of(new SnapshotRetention.Rule(policy.interval(), policy.maxSnaps())));
        String job = jobs.submit(owner.get(), COMMAND, params, new AsyncCommand.AsyncStart(snapshot.instanceType(),
                snapshot.instanceId(), progress -> {
                    try {
                        return snapshot.work().run(progress);
                    } catch (Exception e) {
                        failed(policy, e);
                        throw e;
                    }
                }));
        LOG.info("Snapshot policy {} ({}) of volume {} started snapshot {} due at {} (job {}); next at {}",
                policy.uuid(), policy.interval(), policy.volumeName(), allocated.get().uuid(), slot.due(), job,
                slot.next());
        return Outcome.STARTED;
    }

    /**
     * The alert of a failed scheduled snapshot, with the reason the job reports (an ApiException's text is
     * written for callers); any other exception only as an internal error, its details in the log.
     */
    private void failed(SnapshotPolicyRepository.PolicyRow policy, Exception reason) {
        String why = reason instanceof ApiException api ? api.getMessage()
                : "an internal error (see the management server log)";
        alerts.failed(AlertType.STORAGE_MISC, policy.volumeUuid(), "Scheduled snapshot of volume "
                + policy.volumeName() + " (" + policy.volumeUuid() + ") by its " + policy.interval()
                + " snapshot policy " + policy.uuid() + " failed: " + why);
    }

    /** The slot claimed and the snapshot allocated together, or neither; empty when another server has the slot. */
    private Optional<SnapshotRepository.SnapshotRow> claimAndAllocate(SnapshotPolicyRepository.PolicyRow policy,
                                                                     Slot slot, VolumeRepository.VolumeRow volume) {
        try {
            return jdbc.inTransaction(() -> policies.claim(policy.id(), slot.due(), slot.next())
                    ? Optional.of(taker.allocate(volume, Optional.empty(), policy.interval().name()))
                    : Optional.empty());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new DataAccessException("Claiming the snapshot of policy " + policy.uuid() + " failed", e);
        }
    }
}
