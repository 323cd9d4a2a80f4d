package io.rbdstack.server.imagestore;

import static io.rbdstack.server.api.ApiParam.optional;
import static io.rbdstack.server.api.ApiParam.required;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiArgs;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.CommandSpec;
import io.rbdstack.server.api.ParamType;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.infra.ZoneRepository;
import io.rbdstack.server.storage.StorageErrors;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.store.ImageStoreAnswer;
import io.rbdstack.spi.agent.store.TestImageStoreCommand;
import io.rbdstack.spi.storage.HostGateway;
import io.rbdstack.spi.storage.PoolScope;
import io.rbdstack.spi.storage.StorageException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * addImageStore, listImageStores, deleteImageStore: secondary storage, where snapshot backups go.
 * A store is a directory that every KVM host of the zone has mounted at the same path
 * ({@code provider=SharedMountPoint}, {@code url=file:///path}); the agents mount nothing themselves.
 */
public final class ImageStoreCommands {

    static final String PROVIDER = "SharedMountPoint";
    private static final Duration TEST_TIMEOUT = Duration.ofSeconds(30);

    private ImageStoreCommands() {
    }

    public static void register(CommandRegistry registry, ZoneRepository zones, ImageStoreRepository stores,
                                HostGateway hosts) {
        registry.register(new AddImageStore(zones, stores, hosts)).register(new ListImageStores(stores))
                .register(new DeleteImageStore(stores));
    }

    static final class AddImageStore implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("addImageStore", "Adds backup image store.",
                Access.ADMIN, false, "imagestore", List.of(
                required("provider", ParamType.STRING, "the image store provider name: SharedMountPoint (a directory"
                        + " mounted on every KVM host of the zone)"),
                required("url", ParamType.STRING, "the URL for the image store: file:///<directory>"),
                optional("name", ParamType.STRING, "the name for the image store; the URL when absent"),
                optional("zoneid", ParamType.UUID, "the Zone ID for the image store (required)"),
                optional("details", ParamType.MAP, "accepted; no provider reads details yet")));

        private final ZoneRepository zones;
        private final ImageStoreRepository stores;
        private final HostGateway hosts;

        AddImageStore(ZoneRepository zones, ImageStoreRepository stores, HostGateway hosts) {
            this.zones = zones;
            this.stores = stores;
            this.hosts = hosts;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            String provider = args.requireString("provider");
            if (provider.equalsIgnoreCase("NFS")) {
                throw ApiException.invalidParameter("NFS image stores are not supported: the agents mount nothing"
                        + " themselves. Mount the export at the same path on every KVM host of the zone and add it with"
                        + " provider=SharedMountPoint url=file:///<that path> (parameter provider)");
            }
            if (!provider.equalsIgnoreCase(PROVIDER)) {
                throw ApiException.invalidParameter("Unsupported image store provider " + provider
                        + ": use SharedMountPoint (parameter provider)");
            }
            String url = fileUrl(args.requireString("url"));
            String zoneUuid = args.uuid("zoneid").orElseThrow(() -> ApiException.invalidParameter(
                    "Missing parameter zoneid: the zone whose hosts have the store mounted"));
            long zoneId = zones.idOf(zoneUuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find zone by id " + zoneUuid + " (parameter zoneid)"));
            String name = args.string("name").map(String::trim).filter(n -> !n.isEmpty()).orElse(url);
            if (stores.nameTaken(zoneId, name)) {
                throw ApiException.invalidParameter("An image store named " + name + " already exists in the zone"
                        + " (parameter name)");
            }
            long[] capacity = testOnEveryHost(zoneUuid, url);
            String uuid = stores.create(name, "file", url, PROVIDER, zoneId, capacity[0], capacity[1]);
            return ApiJson.object("imagestore", stores.find(uuid).orElseThrow().view());
        }

        /** The store must be usable from every Up host of the zone: any of them may run a backup or restore. */
        private long[] testOnEveryHost(String zoneUuid, String url) {
            List<String> up = hosts.upHosts(PoolScope.zone(zoneUuid));
            if (up.isEmpty()) {
                throw ApiException.unavailable("No host is Up in zone " + zoneUuid + " to test the image store on");
            }
            long[] capacity = {0, 0};
            for (String host : up) {
                Answer answer;
                try {
                    answer = hosts.send(host, new TestImageStoreCommand(url), TEST_TIMEOUT);
                } catch (StorageException e) {
                    throw StorageErrors.toApi(e);
                }
                if (!answer.success() || !(answer instanceof ImageStoreAnswer store)) {
                    throw ApiException.invalidParameter("Host " + host + " cannot use image store " + url + ": "
                            + answer.details() + " (parameter url)");
                }
                capacity = new long[] {store.totalBytes(), store.usedBytes()};
            }
            return capacity;
        }

        private static String fileUrl(String url) {
            URI uri;
            try {
                uri = URI.create(url.trim());
            } catch (IllegalArgumentException e) {
                throw ApiException.invalidParameter("Not a URL: " + url + " (parameter url)");
            }
            if (uri.getScheme() == null || !uri.getScheme().toLowerCase(Locale.ROOT).equals("file")
                    || uri.getPath() == null || !uri.getPath().startsWith("/") || uri.getPath().equals("/")) {
                throw ApiException.invalidParameter("The URL of a SharedMountPoint image store is file:///<directory>,"
                        + " not " + url + " (parameter url)");
            }
            return "file://" + uri.getPath().replaceAll("/+$", "");
        }
    }

    static final class ListImageStores implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("listImageStores", "Lists image stores.",
                Access.ADMIN, false, "imagestore", List.of(
                optional("id", ParamType.UUID, "the ID of the storage pool"),
                optional("name", ParamType.STRING, "the name of the image store"),
                optional("zoneid", ParamType.UUID, "the Zone ID for the image store"),
                optional("provider", ParamType.STRING, "the image store provider"),
                optional("keyword", ParamType.STRING, "List by keyword"),
                optional("page", ParamType.INTEGER, "page number, from 1"),
                optional("pagesize", ParamType.INTEGER, "page size; -1 for all")));

        private final ImageStoreRepository stores;

        ListImageStores(ImageStoreRepository stores) {
            this.stores = stores;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            ImageStoreRepository.Filter filter = new ImageStoreRepository.Filter(args.uuid("id"), args.string("name"),
                    args.uuid("zoneid"), args.string("provider"), args.keyword());
            return ApiJson.list("imagestore", stores.list(filter, args.paging().sql()).stream()
                    .map(ImageStoreRepository.StoreRow::view).toList(), stores.count(filter));
        }
    }

    static final class DeleteImageStore implements SyncCommand {
        private static final CommandSpec SPEC = new CommandSpec("deleteImageStore", "Deletes an image store.",
                Access.ADMIN, false, "success", List.of(
                required("id", ParamType.UUID, "the image store ID")));

        private final ImageStoreRepository stores;

        DeleteImageStore(ImageStoreRepository stores) {
            this.stores = stores;
        }

        @Override
        public CommandSpec spec() {
            return SPEC;
        }

        @Override
        public ObjectNode execute(Caller caller, ApiArgs args) {
            String uuid = args.requireString("id");
            ImageStoreRepository.StoreRow store = stores.find(uuid).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find image store by id " + uuid + " (parameter id)"));
            if (stores.backupRunningInZone(store.zoneId())) {
                throw ApiException.invalidParameter("A snapshot backup is running in zone " + store.zoneName()
                        + "; delete image store " + store.name() + " when it is done");
            }
            long backups = stores.backupCount(store.id());
            if (backups > 0) {
                throw ApiException.invalidParameter("Cannot delete image store with active snapshots backup! Image"
                        + " store " + store.name() + " holds " + backups + " snapshot backup(s); delete the snapshots"
                        + " first");
            }
            stores.remove(store.id());
            return ApiJson.success();
        }
    }
}
