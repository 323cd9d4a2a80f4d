package io.rbdstack.server.volume;

import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.snapshot.JobSubmitter;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flattening volumes that are clones: on request (flattenVolume), and in the background for a new clone past
 * {@code rbd.max.clone.depth}, as Cinder does with rbd_max_clone_depth. The new volume is Ready and usable at
 * once either way; the flatten is a job of its own, listed, with its progress and its events.
 */
public final class CloneFlattening {

    private static final Logger LOG = LoggerFactory.getLogger(CloneFlattening.class);

    /** The command the background job runs as: listAsyncJobs shows it like a requested one. */
    static final String COMMAND = "flattenVolume";

    private final VolumeService service;
    private final SettingsRepository settings;
    private final JobSubmitter jobs;

    public CloneFlattening(VolumeService service, SettingsRepository settings, JobSubmitter jobs) {
        this.service = service;
        this.settings = settings;
        this.jobs = jobs;
    }

    /** flattenVolume's job for the volume. */
    AsyncCommand.AsyncStart job(VolumeRepository.VolumeRow volume) {
        return new AsyncCommand.AsyncStart("Volume", volume.uuid(), progress -> ApiJson.object("volume",
                service.flatten(volume, progress.transfer()).view()));
    }

    /**
     * After {@code clone} was made: when its chain of clones is longer than rbd.max.clone.depth, starts a
     * flattenVolume job for it as {@code owner}.
     *
     * @return the uuid of that job; empty when the clone is within the depth
     */
    Optional<String> flattenIfTooDeep(Caller owner, VolumeRepository.VolumeRow clone) {
        int depth = service.clones().depth(clone.id());
        long max = settings.longValue(Setting.RBD_MAX_CLONE_DEPTH);
        if (depth <= max) {
            return Optional.empty();
        }
        String job;
        try {
            job = jobs.submit(owner, COMMAND, Map.of("id", clone.uuid()), job(clone));
        } catch (RuntimeException e) {
            // The clone is made and usable; only its flatten did not start (the server stopping, say).
            LOG.warn("Volume {} ({}) is {} clones deep, past rbd.max.clone.depth {}, but its flatten could not be"
                    + " started; it stays a clone until flattenVolume is called for it", clone.name(), clone.uuid(),
                    depth, max, e);
            return Optional.empty();
        }
        LOG.info("Volume {} ({}) is {} clones deep, past rbd.max.clone.depth {}: flattening it in job {}", clone.name(),
                clone.uuid(), depth, max, job);
        return Optional.of(job);
    }
}
