package io.rbdstack.server.template;

import io.rbdstack.server.alert.AlertType;
import io.rbdstack.server.alert.Alerts;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.settings.Setting;
import io.rbdstack.server.settings.SettingsRepository;
import io.rbdstack.server.storage.StorageErrors;
import io.rbdstack.server.storage.StoragePoolRepository;
import io.rbdstack.server.storage.StoragePoolService;
import io.rbdstack.spi.storage.StorageException;
import io.rbdstack.spi.storage.StorageProvider;
import io.rbdstack.spi.storage.TemplateChecksum;
import io.rbdstack.spi.storage.TemplateInfo;
import io.rbdstack.spi.storage.TemplateSource;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A template's import: once into every Up pool of its zone (of every zone for a cross-zone template),
 * each pool's copy recorded in template_spool_ref. The template is Ready when at least one pool has it;
 * when none does it is Error, its status says why, and an alert is raised. Deleting removes the copies.
 */
public final class TemplateImport {

    private static final Logger LOG = LoggerFactory.getLogger(TemplateImport.class);

    private final Jdbc jdbc;
    private final TemplateRepository templates;
    private final StoragePoolRepository pools;
    private final StoragePoolService poolService;
    private final Alerts alerts;
    private final SettingsRepository settings;

    public TemplateImport(Jdbc jdbc, TemplateRepository templates, StoragePoolRepository pools,
                          StoragePoolService poolService, Alerts alerts, SettingsRepository settings) {
        this.jdbc = jdbc;
        this.templates = templates;
        this.pools = pools;
        this.poolService = poolService;
        this.alerts = alerts;
        this.settings = settings;
    }

    /** The import job's work: returns the template as it is afterwards, or fails with the reason. */
    public TemplateRepository.TemplateRow run(TemplateRepository.TemplateRow template,
                                              AsyncCommand.JobProgress progress) {
        List<StoragePoolRepository.PoolRow> targets = targetPools(template);
        if (targets.isEmpty()) {
            return failed(template, "No Up primary storage pool in " + (template.zoneName() == null ? "any zone"
                    : "zone " + template.zoneName()) + " to import the template into");
        }
        List<String> errors = new ArrayList<>();
        Long size = null;
        for (StoragePoolRepository.PoolRow pool : targets) {
            try {
                size = copyTo(template, pool, progress).sizeBytes();
            } catch (ApiException e) {
                errors.add(e.getMessage());
            }
        }
        if (size == null) {
            return failed(template, String.join("; ", errors));
        }
        templates.setState(template.id(), TemplateState.Ready, errors.isEmpty() ? "Download Complete"
                : "Download Complete; not imported: " + String.join("; ", errors), size);
        return templates.find(template.uuid()).orElseThrow();
    }

    /**
     * Imports the template into one pool and records the copy; for a pool added after the registration
     * (deployVirtualMachine will call this when the root volume's pool has no copy yet).
     *
     * @throws ApiException with the pool's reason; the copy is then recorded as failed
     */
    public TemplateInfo copyTo(TemplateRepository.TemplateRow template, StoragePoolRepository.PoolRow pool,
                               AsyncCommand.JobProgress progress) {
        templates.startCopy(template.id(), pool.id());
        if (template.state() != TemplateState.Ready) {
            templates.setState(template.id(), TemplateState.Downloading, "Importing into pool " + pool.name(), null);
        }
        try {
            StorageProvider provider = poolService.plugin(pool).provider();
            TemplateInfo info = provider.importTemplate(pools.stored(pool), template.uuid(), source(template),
                    (done, total) -> {
                        progress.transferred(done, total);
                        if (template.state() != TemplateState.Ready) {
                            // CloudStack's status text while a template downloads
                            templates.setState(template.id(), TemplateState.Downloading, total <= 0 ? "Processing"
                                    : done * 100 / total + "% Downloaded", null);
                        }
                    });
            templates.copyReady(template.id(), pool.id(), info.path(), info.snapshot(), info.sizeBytes());
            return info;
        } catch (StorageException | RuntimeException e) {
            ApiException failure = StorageErrors.failed("Pool " + pool.name(), e);
            LOG.warn("Template {} ({}) was not imported into pool {}: {}", template.name(), template.uuid(),
                    pool.name(), failure.getMessage(), e);
            templates.copyFailed(template.id(), pool.id(), failure.getMessage());
            throw failure;
        }
    }

    private TemplateSource source(TemplateRepository.TemplateRow template) {
        return new TemplateSource(template.url(), template.format(),
                template.checksum() == null ? null : TemplateChecksum.parse(template.checksum()),
                settings.longValue(Setting.MAX_TEMPLATE_ISO_SIZE) << 30);
    }

    /**
     * deleteTemplate's work: with {@code forced}, the volumes cloned from it are flattened first (each then
     * stands alone); each pool's base image is deleted, then the template. A pool that cannot delete its
     * copy keeps the template (and its row) so the delete can be tried again.
     */
    public void delete(TemplateRepository.TemplateRow template, boolean forced, AsyncCommand.JobProgress progress) {
        List<TemplateRepository.Dependent> dependents = templates.dependentVolumes(template.id());
        if (!dependents.isEmpty() && !forced) {
            throw ApiException.inUse("Cannot delete template " + template.name() + ": " + dependents.size()
                    + " volume(s) depend on it (" + String.join(", ", dependents.stream()
                    .map(TemplateRepository.Dependent::name).toList()) + "); forced=true flattens them first");
        }
        for (TemplateRepository.Dependent volume : dependents) {
            StoragePoolRepository.PoolRow pool = volume.poolId() == null ? null
                    : pools.findById(volume.poolId()).orElse(null);
            if (pool != null && volume.path() != null) {
                try {
                    poolService.plugin(pool).provider().flattenVolume(pools.stored(pool), volume.path(),
                            progress.transfer());
                } catch (StorageException | RuntimeException e) {
                    throw StorageErrors.failed("Volume " + volume.name() + " was not flattened; template "
                            + template.name() + " is kept", e);
                }
            }
            templates.detachVolume(volume.id());
        }
        for (TemplateRepository.PoolCopy copy : templates.copies(template.id())) {
            if (copy.installPath() != null) {
                StoragePoolRepository.PoolRow pool = pools.findById(copy.poolId()).orElse(null);
                if (pool == null) {
                    // deleteStoragePool does not look at template copies yet: the image stays in that Ceph pool
                    LOG.warn("Template {} ({}): image {} stays in removed pool {}, which rbdstack can no longer reach",
                            template.name(), template.uuid(), copy.installPath(), copy.poolId());
                } else {
                    try {
                        poolService.plugin(pool).provider().deleteTemplate(pools.stored(pool), copy.installPath(),
                                forced);
                    } catch (StorageException | RuntimeException e) {
                        throw StorageErrors.failed("Template " + template.name() + " was not deleted from pool "
                                + pool.name(), e);
                    }
                }
            }
            templates.deleteCopy(template.id(), copy.poolId());
        }
        templates.markRemoved(template.id());
        LOG.info("Deleted template {} ({})", template.name(), template.uuid());
    }

    private TemplateRepository.TemplateRow failed(TemplateRepository.TemplateRow template, String reason) {
        String status = TemplateRepository.truncate("Failed: " + reason);
        templates.setState(template.id(), TemplateState.Error, status, null);
        alerts.failed(AlertType.STORAGE_MISC, template.uuid(), "Import of template " + template.name() + " ("
                + template.uuid() + ") failed: " + reason);
        throw ApiException.unavailable("Template " + template.name() + " was not imported: " + reason);
    }

    private List<StoragePoolRepository.PoolRow> targetPools(TemplateRepository.TemplateRow template) {
        List<Long> zones = template.zoneId() != null ? List.of(template.zoneId())
                : jdbc.query("SELECT id FROM data_center WHERE removed IS NULL ORDER BY id", rs -> rs.getLong(1));
        List<StoragePoolRepository.PoolRow> targets = new ArrayList<>();
        for (long zone : zones) {
            targets.addAll(pools.upPoolsOfZone(zone));
        }
        return targets;
    }
}
