package io.rbdstack.server.template;

import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.ListScope;
import io.rbdstack.server.db.ColumnUpdates;
import io.rbdstack.server.db.Jdbc;
import io.rbdstack.server.db.Where;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Templates ({@code vm_template}) and the pools holding their base images ({@code template_spool_ref}). */
public final class TemplateRepository {

    /** A live template with its zone and owner resolved. */
    public record TemplateRow(long id, String uuid, String name, String displayText, String url, String format,
                              String hypervisor, String osTypeUuid, String checksum, boolean isPublic,
                              boolean featured, boolean extractable, long accountId, String accountUuid,
                              String accountName, String domainUuid, String domainName, Long zoneId, String zoneUuid,
                              String zoneName, Long sizeBytes, TemplateState state, String status, Instant created) {

        public TemplateView view() {
            return new TemplateView(uuid, name, displayText, format, hypervisor, sizeBytes, state == TemplateState.Ready,
                    status, zoneUuid, zoneName, checksum, ApiJson.date(created), osTypeUuid, accountName, accountUuid,
                    domainName, domainUuid, isPublic, featured, extractable, false, zoneId == null, "USER", url);
        }
    }

    /** What registerTemplate saves before anything is fetched. */
    public record NewTemplate(String uuid, String name, String displayText, String url, String format,
                              String osTypeUuid, String checksum, boolean isPublic, boolean featured,
                              boolean extractable, long accountId, long domainId, Long zoneId) {
    }

    /** One pool's copy of a template. */
    public record PoolCopy(long poolId, String installPath, String snapshot, String state, Long sizeBytes) {
    }

    /**
     * listTemplates filters. {@code scope} limits whose templates ("all" for admins); {@code ownerOrPublic}
     * is the account whose own templates show alongside public ones ("executable"), and the flags pick
     * featured/community templates.
     */
    public record Filter(ListScope scope, Optional<Long> ownerOrPublic, Optional<Boolean> publicOnly,
                         Optional<Boolean> featured, Optional<String> uuid, Optional<String> name,
                         Optional<String> keyword, Optional<Long> zoneId) {

        Where where() {
            Where where = Where.of("t.removed IS NULL").and(scope.where("t.account_id", "t.domain_id"))
                    .andIf("t.public = ?", publicOnly).andIf("t.featured = ?", featured).andIf("t.uuid = ?", uuid)
                    .andIf("t.name = ?", name).andContains("t.name", keyword);
            if (ownerOrPublic.isPresent()) {
                where = where.and("(t.account_id = ? OR t.public = 1)", ownerOrPublic.get());
            }
            if (zoneId.isPresent()) {
                where = where.and("(t.data_center_id = ? OR t.data_center_id IS NULL)", zoneId.get());
            }
            return where;
        }
    }

    private static final String SELECT = "SELECT t.id, t.uuid, t.name, t.display_text, t.url, t.format,"
            + " t.hypervisor_type, t.guest_os_uuid, t.checksum, t.public, t.featured, t.extractable, t.account_id,"
            + " a.uuid AS account_uuid, a.account_name, d.uuid AS domain_uuid, d.name AS domain_name,"
            + " t.data_center_id, z.uuid AS zone_uuid, z.name AS zone_name, t.size, t.state, t.status, t.created"
            + " FROM vm_template t JOIN account a ON a.id = t.account_id JOIN domain d ON d.id = t.domain_id"
            + " LEFT JOIN data_center z ON z.id = t.data_center_id";

    private final Jdbc jdbc;

    public TemplateRepository(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(NewTemplate t) {
        jdbc.insert("INSERT INTO vm_template (uuid, name, display_text, url, format, hypervisor_type, guest_os_uuid,"
                        + " checksum, public, featured, extractable, account_id, domain_id, data_center_id, state, status,"
                        + " created) VALUES (?, ?, ?, ?, ?, 'KVM', ?, ?, ?, ?, ?, ?, ?, ?, 'Allocated', ?, ?)",
                t.uuid(), t.name(), t.displayText(), t.url(), t.format(), t.osTypeUuid(), t.checksum(), t.isPublic(),
                t.featured(), t.extractable(), t.accountId(), t.domainId(), t.zoneId(), "Registered; waiting to import",
                Instant.now());
    }

    public Optional<TemplateRow> find(String uuid) {
        return jdbc.queryOne(SELECT + " WHERE t.uuid = ? AND t.removed IS NULL", TemplateRepository::row, uuid);
    }

    public List<TemplateRow> list(Filter filter, String limit) {
        Where where = filter.where();
        return jdbc.query(SELECT + where.sql() + " ORDER BY t.id" + limit, TemplateRepository::row, where.args());
    }

    public long count(Filter filter) {
        Where where = filter.where();
        return jdbc.queryLong("SELECT COUNT(*) FROM vm_template t" + where.sql(), where.args());
    }

    /** updateTemplate: name and display text. */
    public void update(long id, Optional<String> name, Optional<String> displayText) {
        new ColumnUpdates().set("name", name).set("display_text", displayText).apply(jdbc, "vm_template", id);
    }

    /** The import's state and what listTemplates' status says; the size once known. */
    public void setState(long id, TemplateState state, String status, Long sizeBytes) {
        jdbc.update("UPDATE vm_template SET state = ?, status = ?, size = COALESCE(?, size) WHERE id = ?",
                state.name(), status, sizeBytes, id);
    }

    public void markRemoved(long id) {
        jdbc.update("UPDATE vm_template SET removed = ? WHERE id = ? AND removed IS NULL", Instant.now(), id);
    }

    /** A live volume cloned from a template: where it is, so it can be flattened. */
    public record Dependent(long id, String name, Long poolId, String path) {
    }

    /** Live volumes cloned from the template (root volumes, once VMs exist). */
    public List<Dependent> dependentVolumes(long templateId) {
        return jdbc.query("SELECT id, name, pool_id, path FROM volumes WHERE template_id = ? AND removed IS NULL"
                + " ORDER BY id", rs -> new Dependent(rs.getLong(1), rs.getString(2), rs.getObject(3, Long.class),
                rs.getString(4)), templateId);
    }

    /** The uuids of the VMs deployed from the template that are not expunged (destroyed ones included). */
    public List<String> vmsUsing(long templateId) {
        return jdbc.query("SELECT uuid FROM vm_instance WHERE template_id = ? AND removed IS NULL ORDER BY id",
                rs -> rs.getString(1), templateId);
    }

    /** The volume no longer depends on its template (it was flattened). */
    public void detachVolume(long volumeId) {
        jdbc.update("UPDATE volumes SET template_id = NULL WHERE id = ?", volumeId);
    }

    /** Records that {@code poolId} is importing the template (again, after a failed try). */
    public void startCopy(long templateId, long poolId) {
        jdbc.update("INSERT INTO template_spool_ref (template_id, pool_id, state, created, updated)"
                + " VALUES (?, ?, 'Downloading', ?, ?) ON DUPLICATE KEY UPDATE state = 'Downloading', error = NULL,"
                + " updated = VALUES(updated)", templateId, poolId, Instant.now(), Instant.now());
    }

    public void copyReady(long templateId, long poolId, String installPath, String snapshot, long sizeBytes) {
        jdbc.update("UPDATE template_spool_ref SET state = 'Ready', install_path = ?, snapshot = ?, size = ?,"
                + " error = NULL, updated = ? WHERE template_id = ? AND pool_id = ?", installPath, snapshot, sizeBytes,
                Instant.now(), templateId, poolId);
    }

    public void copyFailed(long templateId, long poolId, String error) {
        jdbc.update("UPDATE template_spool_ref SET state = 'Error', error = ?, updated = ? WHERE template_id = ?"
                + " AND pool_id = ?", truncate(error), Instant.now(), templateId, poolId);
    }

    public List<PoolCopy> copies(long templateId) {
        return jdbc.query("SELECT pool_id, install_path, snapshot, state, size FROM template_spool_ref"
                + " WHERE template_id = ? ORDER BY pool_id", rs -> new PoolCopy(rs.getLong(1), rs.getString(2),
                rs.getString(3), rs.getString(4), rs.getObject(5, Long.class)), templateId);
    }

    public void deleteCopy(long templateId, long poolId) {
        jdbc.update("DELETE FROM template_spool_ref WHERE template_id = ? AND pool_id = ?", templateId, poolId);
    }

    /**
     * Templates whose import job no longer runs (its management server stopped; the job cleanup failed it)
     * go to Error, so that they can be deleted and registered again. A minute's grace covers a template
     * saved whose job is being submitted.
     *
     * @return how many were settled
     */
    public int settleInterruptedImports() {
        Instant before = Instant.now().minusSeconds(60);
        int settled = jdbc.update("UPDATE vm_template t SET t.state = 'Error', t.status = 'Failed: the import was"
                + " interrupted (its management server stopped); delete the template and register it again'"
                + " WHERE t.removed IS NULL AND t.state IN ('Allocated', 'Downloading') AND t.created < ?"
                + " AND NOT EXISTS (SELECT 1 FROM async_job j WHERE j.instance_type = 'Template'"
                + " AND j.instance_id = t.uuid AND j.job_status = 0)", before);
        if (settled > 0) {
            jdbc.update("UPDATE template_spool_ref r JOIN vm_template t ON t.id = r.template_id SET r.state = 'Error',"
                    + " r.error = 'interrupted' WHERE r.state = 'Downloading' AND t.state = 'Error'");
        }
        return settled;
    }

    static String truncate(String text) {
        return text == null || text.length() <= 1024 ? text : text.substring(0, 1021) + "...";
    }

    private static TemplateRow row(ResultSet rs) throws SQLException {
        return new TemplateRow(rs.getLong("id"), rs.getString("uuid"), rs.getString("name"),
                rs.getString("display_text"), rs.getString("url"), rs.getString("format"),
                rs.getString("hypervisor_type"), rs.getString("guest_os_uuid"), rs.getString("checksum"),
                rs.getBoolean("public"), rs.getBoolean("featured"), rs.getBoolean("extractable"),
                rs.getLong("account_id"), rs.getString("account_uuid"), rs.getString("account_name"),
                rs.getString("domain_uuid"), rs.getString("domain_name"), rs.getObject("data_center_id", Long.class),
                rs.getString("zone_uuid"), rs.getString("zone_name"), rs.getObject("size", Long.class),
                TemplateState.valueOf(rs.getString("state")), rs.getString("status"), Jdbc.instant(rs, "created"));
    }
}
