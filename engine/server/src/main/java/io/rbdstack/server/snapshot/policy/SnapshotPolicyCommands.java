package io.rbdstack.server.snapshot.policy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.ListScope;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.limit.Limits;
import io.rbdstack.server.limit.ResourceType;
import io.rbdstack.server.snapshot.SnapshotRetention;
import io.rbdstack.server.tag.TagCommands;
import io.rbdstack.server.tag.TagRepository;
import io.rbdstack.server.tag.TagView;
import io.rbdstack.server.tag.TaggedType;
import io.rbdstack.server.volume.VolumeRepository;
import io.rbdstack.server.volume.VolumeState;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** createSnapshotPolicy, listSnapshotPolicies, updateSnapshotPolicy and deleteSnapshotPolicies. */
public final class SnapshotPolicyCommands {

    /** Volume states in which a volume has its image, so a policy can take snapshots of it. */
    private static final Set<VolumeState> ON_STORAGE = EnumSet.of(VolumeState.Ready, VolumeState.Resizing,
            VolumeState.Snapshotting, VolumeState.RevertSnapshotting);

    private SnapshotPolicyCommands() {
    }

    public record Deps(SnapshotPolicyRepository policies, VolumeRepository volumes, SnapshotRetention retention,
                       PolicySlots slots, Clock clock, Limits limits, TagRepository tags) {

        SnapshotPolicyRepository.PolicyRow policy(String uuid) {
            return policies.find(uuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find snapshot policy by id " + uuid + " (parameter id)"));
        }

        /** The policy as the caller sees it, with its tags. */
        SnapshotPolicyView view(SnapshotPolicyRepository.PolicyRow policy, Caller caller) {
            return views(List.of(policy), caller).get(0);
        }

        /** The policies as the caller sees them, their tags read in one query. */
        List<SnapshotPolicyView> views(List<SnapshotPolicyRepository.PolicyRow> rows, Caller caller) {
            Map<Long, List<TagView>> tagged = tags.of(TaggedType.SnapshotPolicy,
                    rows.stream().map(SnapshotPolicyRepository.PolicyRow::id).toList());
            return rows.stream().map(p -> p.view(caller.isRootAdmin(), tagged.getOrDefault(p.id(), List.of())))
                    .toList();
        }

        /** When a policy shown to its users takes its next snapshot; a hidden one takes none. */
        Optional<Instant> nextRun(PolicySchedule schedule, boolean display) {
            return display ? Optional.of(slots.nextAfter(schedule, clock.instant())) : Optional.empty();
        }
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(CreateSnapshotPolicy.class, deps);
        registry.register(ListSnapshotPolicies.class, deps);
        registry.register(UpdateSnapshotPolicy.class, deps);
        registry.register(DeleteSnapshotPolicies.class, deps);
    }

    @Command(name = "createSnapshotPolicy", description = "Creates a snapshot policy for the account: recurring"
            + " snapshots of a volume. A volume has one policy per interval; creating another of the same interval"
            + " replaces it.", access = Access.USER, response = "snapshotpolicy", event = "SNAPSHOTPOLICY.CREATE")
    record CreateSnapshotPolicy(
            @Param(description = "Valid values are HOURLY, DAILY, WEEKLY, and MONTHLY") IntervalType intervalType,
            @Param(description = "Maximum number of snapshots to retain; at most snapshot.max.<interval>", min = 1,
                    max = 1000) Integer maxSnaps,
            @Param(description = "Time the snapshot is scheduled to be taken. Format is: if HOURLY, MM; if DAILY,"
                    + " MM:HH; if WEEKLY, MM:HH:DD (1-7, 1 = Sunday); if MONTHLY, MM:HH:DD (1-28)", length = 100,
                    column = "snapshot_policy.schedule") String schedule,
            @Param(description = "the time zone of the schedule: a Java time-zone id such as Europe/Berlin or UTC",
                    length = 100, column = "snapshot_policy.timezone") String timezone,
            @Param(description = "The ID of the disk volume", entity = Entity.VOLUME, acl = true) String volumeId,
            @Param(description = "root admins: whether users see the policy; a hidden policy takes no snapshots")
            Optional<Boolean> forDisplay,
            @Param(description = "Map of tags (key/value pairs): the policy's tags, replacing those it had",
                    column = "resource_tags.value")
            Map<String, String> tags) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            VolumeRepository.VolumeRow volume = deps.volumes().find(volumeId).orElseThrow(() ->
                    ApiException.invalidParameter("Unable to find volume by id " + volumeId + " (parameter volumeid)"));
            TagCommands.requireValues(tags);
            boolean display = !caller.isRootAdmin() || forDisplay.orElse(true);
            if (display && !ON_STORAGE.contains(volume.state())) {
                throw ApiException.invalidParameter("VolumeId: " + volume.uuid() + " is not in Ready state but "
                        + volume.state() + ". Cannot take snapshot.");
            }
            PolicySchedule parsed = parse(volume, deps);
            long limit = deps.retention().limit(intervalType);
            if (maxSnaps > limit) {
                throw ApiException.invalidParameter("maxSnaps [" + maxSnaps + "] for volume " + volume.name()
                        + " exceeds limit [" + limit + "] for interval type [" + intervalType + "] (snapshot.max."
                        + intervalType.name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
            // As CloudStack: a shown policy may not keep more snapshots than its owner may have.
            if (display && deps.limits().overAccountOrDomain(ResourceType.snapshot, volume.accountId(), maxSnaps)) {
                throw ApiException.invalidParameter("Max number of snapshots shouldn't exceed the domain/account level"
                        + " snapshot limit (parameter maxsnaps)");
            }
            SnapshotPolicyRepository.PolicyRow saved = deps.policies().save(new SnapshotPolicyRepository.NewPolicy(
                    volume.id(), volume.accountId(), schedule.trim(), timezone.trim(), intervalType, maxSnaps, display,
                    deps.nextRun(parsed, display).orElse(null)));
            if (!tags.isEmpty()) {
                // As CloudStack: the tags given become the policy's tags, a replaced policy's old ones going.
                deps.tags().replace(TaggedType.SnapshotPolicy, saved.id(), saved.uuid(), volume.accountId(), tags);
            }
            return ApiJson.object("snapshotpolicy", deps.view(saved, caller));
        }

        private PolicySchedule parse(VolumeRepository.VolumeRow volume, Deps deps) {
            ZoneId zone;
            try {
                zone = PolicyTimeZone.parse(timezone);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidParameter(e.getMessage() + " (parameter timezone)");
            }
            try {
                return PolicySchedule.parse(intervalType, schedule, zone);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidParameter("Volume " + volume.name() + " (" + volume.uuid() + ") has an"
                        + " invalid schedule [" + schedule + "] for interval type [" + intervalType + "]: "
                        + e.getMessage() + " (parameter schedule)");
            }
        }
    }

    @Command(name = "listSnapshotPolicies", description = "Lists snapshot policies.", access = Access.USER,
            response = "snapshotpolicy")
    record ListSnapshotPolicies(
            @Param(description = "the ID of the snapshot policy", entity = Entity.SNAPSHOT_POLICY, acl = true)
            Optional<String> id,
            @Param(description = "the ID of the disk volume", entity = Entity.VOLUME, acl = true)
            Optional<String> volumeId,
            @Param(description = "List by keyword: part of the volume's name") Optional<String> keyword,
            @Param(description = "root admins: false lists the hidden policies instead of the shown ones")
            Optional<Boolean> forDisplay,
            @Param(description = "admins: true lists the policies of every account they manage")
            Optional<Boolean> listAll,
            PageParams page) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            boolean display = !caller.isRootAdmin() || forDisplay.orElse(true);
            // An id or volume id was access-checked when bound; otherwise admins see their subtree with listall.
            boolean wide = (caller.isRootAdmin() || caller.isDomainAdmin())
                    && (listAll.orElse(false) || id.isPresent() || volumeId.isPresent());
            ListScope scope = wide ? ListScope.domain(caller.domainId(), caller.domainPath(), true)
                    : ListScope.account(caller.accountId());
            SnapshotPolicyRepository.Filter filter = new SnapshotPolicyRepository.Filter(scope, id, volumeId, keyword,
                    display);
            List<SnapshotPolicyView> views = deps.views(deps.policies().list(filter, page.sql()), caller);
            return ApiJson.list("snapshotpolicy", views, deps.policies().count(filter));
        }
    }

    /** Asynchronous, as CloudStack's is. */
    @Command(name = "updateSnapshotPolicy", description = "Updates the snapshot policy.", access = Access.USER,
            response = "snapshotpolicy", event = "SNAPSHOTPOLICY.UPDATE")
    record UpdateSnapshotPolicy(
            @Param(description = "The ID of the snapshot policy", entity = Entity.SNAPSHOT_POLICY, acl = true) String id,
            @Param(description = "root admins: whether users see the policy; a hidden policy takes no snapshots")
            Optional<Boolean> forDisplay,
            @Param(description = "root admins: a new id for the policy", length = 40, column = "snapshot_policy.uuid")
            Optional<String> customId) implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            SnapshotPolicyRepository.PolicyRow policy = deps.policy(id);
            // As in CloudStack, both are root admins' parameters; other callers' values are ignored.
            Optional<Boolean> display = forDisplay.filter(d -> caller.isRootAdmin());
            Optional<String> newUuid = customId.map(String::trim).filter(u -> caller.isRootAdmin() && !u.isEmpty());
            return new AsyncStart("SnapshotPolicy", policy.uuid(), progress -> {
                if (display.isPresent() && display.get() != policy.display()) {
                    deps.policies().setDisplay(policy.id(), display.get(),
                            deps.nextRun(policy.parsedSchedule(), display.get()));
                }
                if (newUuid.isPresent() && !deps.policies().setUuid(policy.id(), newUuid.get())) {
                    throw ApiException.invalidParameter("Another snapshot policy has the id " + newUuid.get()
                            + " (parameter customid)");
                }
                SnapshotPolicyRepository.PolicyRow updated = deps.policies().find(newUuid.orElse(policy.uuid()))
                        .orElseThrow(() -> ApiException.invalidParameter("Snapshot policy " + id + " was deleted"
                                + " meanwhile"));
                return ApiJson.object("snapshotpolicy", deps.view(updated, caller));
            });
        }
    }

    @Command(name = "deleteSnapshotPolicies", description = "Deletes snapshot policies for the account. Their"
            + " snapshots stay.", access = Access.USER, response = "success", event = "SNAPSHOTPOLICY.DELETE")
    record DeleteSnapshotPolicies(
            @Param(description = "the ID of the snapshot policy", entity = Entity.SNAPSHOT_POLICY, acl = true)
            Optional<String> id,
            @Param(description = "list of snapshot policy IDs separated by comma", entity = Entity.SNAPSHOT_POLICY,
                    acl = true, length = 4096) List<String> ids) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            if (id.isEmpty() && ids.isEmpty()) {
                throw ApiException.invalidParameter("No policy id (or list of ids) specified.");
            }
            List<Long> rows = new ArrayList<>();
            for (String uuid : ids.isEmpty() ? List.of(id.get()) : ids) {
                rows.add(deps.policy(uuid).id());
            }
            deps.policies().delete(rows);
            return ApiJson.success();
        }
    }
}
