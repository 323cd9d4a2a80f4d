package io.rbdstack.server.imagestore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rbdstack.server.api.Access;
import io.rbdstack.server.api.ApiException;
import io.rbdstack.server.api.ApiJson;
import io.rbdstack.server.api.Caller;
import io.rbdstack.server.api.Command;
import io.rbdstack.server.api.CommandRegistry;
import io.rbdstack.server.api.Entity;
import io.rbdstack.server.api.PageParams;
import io.rbdstack.server.api.Param;
import io.rbdstack.server.api.SyncCommand;
import io.rbdstack.server.infra.ZoneRepository;
import io.rbdstack.server.storage.StorageErrors;
import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.store.ImageStoreAnswer;
import io.rbdstack.spi.agent.store.TestImageStoreCommand;
import io.rbdstack.spi.storage.HostGateway;
import io.rbdstack.spi.storage.PoolScope;
import io.rbdstack.spi.storage.StorageException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * addImageStore, listImageStores, deleteImageStore: secondary storage, where snapshot backups go.
 * A store is an NFS export the agents read and write through libnfs ({@code provider=NFS},
 * {@code url=nfs://server/export/path}), an S3 bucket ({@code provider=S3}, named by CloudStack's
 * details, its secret key stored encrypted: {@link StoreUrl}) or a directory that every KVM host of the zone has mounted at
 * the same path ({@code provider=SharedMountPoint}, {@code url=file:///path}); the agents mount nothing
 * themselves.
 */
public final class ImageStoreCommands {

    static final String PROVIDER = "SharedMountPoint";
    static final String NFS_PROVIDER = "NFS";
    static final String S3_PROVIDER = "S3";
    private static final Duration TEST_TIMEOUT = Duration.ofSeconds(30);

    private ImageStoreCommands() {
    }

    /** What the image store commands need. */
    public record Deps(ZoneRepository zones, ImageStoreRepository stores, HostGateway hosts) {
    }

    public static void register(CommandRegistry registry, Deps deps) {
        registry.register(AddImageStore.class, deps);
        registry.register(AddImageStoreS3.class, deps);
        registry.register(ListImageStores.class, deps.stores());
        registry.register(DeleteImageStore.class, deps.stores());
    }

    @Command(name = "addImageStore", description = "Adds backup image store.", access = Access.ADMIN,
            response = "imagestore", event = "IMAGE.STORE.CREATE")
    record AddImageStore(
            @Param(description = "the image store provider name: NFS (an export the agents reach through libnfs,"
                    + " no mount), S3 (a bucket, named by details) or SharedMountPoint (a directory mounted on every"
                    + " KVM host of the zone)")
            String provider,
            @Param(description = "the URL for the image store: nfs://<server>/<export path> for NFS (NFSv3;"
                    + " ?nfsport=N&mountport=N for a server without rpcbind), file:///<directory> for SharedMountPoint,"
                    + " mounted at that path on every KVM host of the zone; not a system directory. Optional for S3:"
                    + " http(s)://<endpoint>/<bucket> in place of the details endpoint, usehttps and bucket",
                    length = 1024, column = "image_store.url") Optional<String> url,
            @Param(description = "the name for the image store; the URL when absent", column = "image_store.name")
            Optional<String> name,
            @Param(description = "the Zone ID for the image store (required)", entity = Entity.ZONE)
            Optional<String> zoneId,
            @Param(description = "the details for the image store. S3: accesskey, secretkey (both required; the"
                    + " secret key is stored encrypted and never shown), bucket, endpoint (host[:port]), usehttps"
                    + " (false by default) and region (us-east-1 by default)") Map<String, String> details)
            implements SyncCommand<Deps> {

        @Override
        public ObjectNode execute(Caller caller, Deps deps) {
            StoreUrl store = StoreUrl.of(provider, url, details);
            String zoneUuid = zoneId.orElseThrow(() -> ApiException.invalidParameter(
                    "Missing parameter zoneid: the zone whose hosts have the store mounted"));
            return added(deps, store, zoneUuid, name);
        }
    }

    /**
     * Records {@code store} in the zone once every Up host of the zone could use it: addImageStore's and
     * addImageStoreS3's common end. The imagestore response, without the keys.
     */
    static ObjectNode added(Deps deps, StoreUrl store, String zoneUuid, Optional<String> name) {
        String storeUrl = store.url();
        long zone = deps.zones().idOf(zoneUuid).orElseThrow(() -> ApiException.invalidParameter(
                "Unable to find zone by id " + zoneUuid + " (parameter zoneid)"));
        String storeName = name.map(String::trim).filter(n -> !n.isEmpty()).orElse(storeUrl);
        if (storeName.codePointCount(0, storeName.length()) > Param.DEFAULT_LENGTH) {
            throw ApiException.invalidParameter("The URL is longer than " + Param.DEFAULT_LENGTH
                    + " characters, too long to name the store: give a name (parameter name)");
        }
        ImageStoreRepository stores = deps.stores();
        if (stores.nameTaken(zone, storeName)) {
            throw ApiException.invalidParameter("An image store named " + storeName + " already exists in the zone"
                    + " (parameter name)");
        }
        long[] capacity = testOnEveryHost(deps.hosts(), zoneUuid, store);
        String uuid = stores.create(storeName, store.protocol(), storeUrl, store.credentials(), store.provider(),
                zone, capacity[0], capacity[1]);
        return ApiJson.object("imagestore", stores.find(uuid).orElseThrow().view());
    }

    /** The store must be usable from every Up host of the zone: any of them may run a backup or restore. */
    private static long[] testOnEveryHost(HostGateway hosts, String zoneUuid, StoreUrl store) {
        List<String> up = hosts.upHosts(PoolScope.zone(zoneUuid));
        if (up.isEmpty()) {
            throw ApiException.unavailable("No host is Up in zone " + zoneUuid + " to test the image store on");
        }
        long[] capacity = {0, 0};
        for (String host : up) {
            Answer answer;
            try {
                answer = hosts.send(host, new TestImageStoreCommand(store.url(), store.credentials()),
                        TEST_TIMEOUT);
            } catch (StorageException e) {
                throw StorageErrors.toApi(e);
            }
            if (!answer.success() || !(answer instanceof ImageStoreAnswer tested)) {
                throw ApiException.invalidParameter(refusal(host, store, answer.details()));
            }
            capacity = new long[] {tested.totalBytes(), tested.usedBytes()};
        }
        return capacity;
    }

    /**
     * A host's refusal, naming the store once: the agent's reason usually names it already (it is written
     * for backups too), and then the server does not say it again; the parameter to blame last.
     */
    static String refusal(String host, StoreUrl store, String reason) {
        String text = reason == null || reason.isBlank() ? "no reason given" : reason;
        String which = text.contains(store.url()) ? "" : " " + store.url();
        return "Host " + host + " cannot use image store" + which + ": " + text
                + (store.parameter() == null ? "" : " (parameter " + store.parameter() + ")");
    }

    @Command(name = "listImageStores", description = "Lists image stores.", access = Access.ADMIN,
            response = "imagestore")
    record ListImageStores(@Param(description = "the ID of the image store", entity = Entity.IMAGE_STORE)
                           Optional<String> id,
                           @Param(description = "the name of the image store") Optional<String> name,
                           @Param(description = "the Zone ID for the image store", entity = Entity.ZONE)
                           Optional<String> zoneId,
                           @Param(description = "the image store provider") Optional<String> provider,
                           @Param(description = "List by keyword") Optional<String> keyword,
                           PageParams page) implements SyncCommand<ImageStoreRepository> {

        @Override
        public ObjectNode execute(Caller caller, ImageStoreRepository stores) {
            ImageStoreRepository.Filter filter = new ImageStoreRepository.Filter(id, name, zoneId, provider, keyword);
            return ApiJson.list("imagestore", stores.list(filter, page.sql()).stream()
                    .map(ImageStoreRepository.StoreRow::view).toList(), stores.count(filter));
        }
    }

    @Command(name = "deleteImageStore", description = "Deletes an image store.", access = Access.ADMIN,
            response = "success", event = "IMAGE.STORE.DELETE")
    record DeleteImageStore(@Param(description = "the image store ID", entity = Entity.IMAGE_STORE) String id)
            implements SyncCommand<ImageStoreRepository> {

        @Override
        public ObjectNode execute(Caller caller, ImageStoreRepository stores) {
            ImageStoreRepository.StoreRow store = stores.find(id).orElseThrow(() -> ApiException.invalidParameter(
                    "Unable to find image store by id " + id + " (parameter id)"));
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
