package io.rbdstack.server.tag;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.AsyncCommand;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.EntityLookup;
import io.rbdstack.server.api.OwnerParams;
import io.rbdstack.server.api.Owners;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** createTags, deleteTags and listTags: key/value tags on volumes, snapshots and storage pools. */
public final class TagCommands {

    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** Enough for a hundred resource ids. */
    static final int IDS_LENGTH = 4096;

    private TagCommands() {
    }

    /** What the commands need. */
    public record Deps(TagRepository tags, EntityLookup entities, Owners owners) {

        /** A resource a command names, if it exists and the caller may tag it. */
        record Target(long id, String uuid, long accountId) {
        }

        List<Target> targets(Caller caller, TaggedType type, List<String> resourceIds) {
            if (resourceIds.isEmpty()) {
                throw ApiException.invalidParameter("Unable to execute API command due to missing parameter"
                        + " resourceids");
            }
            List<Target> targets = new ArrayList<>();
            for (String raw : resourceIds) {
                String uuid = raw.toLowerCase(Locale.ROOT);
                EntityLookup.Found found = (UUID.matcher(uuid).matches() ? entities.find(type.entity(), uuid)
                        : Optional.<EntityLookup.Found>empty()).filter(f -> tags.live(type, f.id()))
                        .orElseThrow(() -> ApiException.invalidParameter("Unable to find resource by id " + raw
                                + " and type " + type.name() + " (parameter resourceids)"));
                if (!caller.mayAccess(found.ownerAccountId(), found.ownerDomainPath())) {
                    throw ApiException.permissionDenied("Account " + caller.accountName()
                            + " does not have permission to operate on " + type.entity().displayName() + " " + raw);
                }
                targets.add(new Target(found.id(), uuid, type.owned() ? found.ownerAccountId() : caller.accountId()));
            }
            return targets;
        }
    }

    /** CloudStack's refusal of a tag without a value (createTags, createSnapshotPolicy's tags). */
    public static void requireValues(Map<String, String> tags) {
        tags.forEach((key, value) -> {
            if (value.isEmpty()) {
                throw ApiException.invalidParameter("Value for the key " + key + " is either null or empty"
                        + " (parameter tags)");
            }
        });
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(CreateTags.class, deps);
        registry.register(DeleteTags.class, deps);
        registry.register(ListTags.class, deps);
    }

    @Command(name = "createTags", description = "Creates resource tag(s)", access = Access.USER, response = "success",
            event = "CREATE_TAGS")
    record CreateTags(
            @Param(description = "list of resources to create the tags for (required)", length = IDS_LENGTH)
            List<String> resourceIds,
            @Param(description = "type of the resource: Volume, Snapshot, SnapshotPolicy or StoragePool") String resourceType,
            @Param(description = "Map of tags (key/value pairs) (required)", column = "resource_tags.value")
            Map<String, String> tags,
            @Param(description = "identifies client specific tag. When the value is not null, the tag can't be used by"
                    + " cloudStack code internally", column = "resource_tags.customer") Optional<String> customer)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            TaggedType type = TaggedType.of(resourceType, "resourcetype");
            if (tags.isEmpty()) {
                throw ApiException.invalidParameter("Unable to execute API command createtags due to missing parameter"
                        + " tags");
            }
            requireValues(tags);
            List<TagRepository.NewTag> created = new ArrayList<>();
            for (Deps.Target target : deps.targets(caller, type, resourceIds)) {
                long domain = deps.tags().domainOf(target.accountId());
                tags.forEach((key, value) -> {
                    if (deps.tags().hasKey(type, target.id(), key)) {
                        throw ApiException.invalidParameter("A tag with key " + key + " already exists on "
                                + type.name() + " " + target.uuid() + " (parameter tags)");
                    }
                    created.add(new TagRepository.NewTag(type, target.id(), target.uuid(), key, value,
                            target.accountId(), domain, customer.orElse(null)));
                });
            }
            return new AsyncStart(null, null, progress -> {
                deps.tags().create(created);
                return ApiJson.success();
            });
        }
    }

    @Command(name = "deleteTags", description = "Deleting resource tag(s)", access = Access.USER, response = "success",
            event = "DELETE_TAGS")
    record DeleteTags(
            @Param(description = "Delete tags for resource id(s) (required)", length = IDS_LENGTH) List<String> resourceIds,
            @Param(description = "Delete tag by resource type: Volume, Snapshot, SnapshotPolicy or StoragePool") String resourceType,
            @Param(description = "Delete tags matching key/value pairs (a key alone: whatever its value); all the"
                    + " resources' tags when absent", column = "resource_tags.value") List<Map<String, String>> tags)
            implements AsyncCommand<Deps> {

        @Override
        public AsyncStart start(Caller caller, Deps deps) {
            TaggedType type = TaggedType.of(resourceType, "resourcetype");
            List<TagMatch> matches = TagMatch.of(tags, "tags");
            List<Long> ids = deps.targets(caller, type, resourceIds).stream().map(Deps.Target::id).toList();
            return new AsyncStart(null, null, progress -> {
                deps.tags().delete(type, ids, matches);
                return ApiJson.success();
            });
        }
    }

    @Command(name = "listTags", description = "List resource tag(s)", access = Access.USER, response = "tag")
    record ListTags(
            @Param(description = "list by resource type") Optional<String> resourceType,
            @Param(description = "list by resource id") Optional<String> resourceId,
            @Param(description = "list by key", column = "resource_tags.tag_key") Optional<String> key,
            @Param(description = "list by value", column = "resource_tags.value") Optional<String> value,
            @Param(description = "list by customer name", column = "resource_tags.customer") Optional<String> customer,
            @Param(description = "List by keyword") Optional<String> keyword,
            OwnerParams owner,
            PageParams page) implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            TagRepository.Filter filter = new TagRepository.Filter(owner.scope(caller, deps.owners(), false),
                    resourceType.map(t -> TaggedType.of(t, "resourcetype")), resourceId.map(r -> r.toLowerCase(Locale.ROOT)),
                    key, value, customer, keyword);
            return ApiJson.list("tag", deps.tags().list(filter, page.sql()), deps.tags().count(filter));
        }
    }
}
