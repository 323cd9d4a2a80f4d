package io.rbdstack.server.imagestore;

import io.rbdstack.spi.agent.Answer;
import io.rbdstack.spi.agent.store.ImageStoreAnswer;
import io.rbdstack.spi.agent.store.TestImageStoreCommand;
import io.rbdstack.spi.storage.HostGateway;
import io.rbdstack.spi.storage.PoolScope;
import io.rbdstack.spi.storage.StorageException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads every image store's capacity again through a host of its zone (listImageStores shows it; backups go to the emptiest). */
public final class ImageStoreCapacity {

    private static final Logger LOG = LoggerFactory.getLogger(ImageStoreCapacity.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final ImageStoreRepository stores;
    private final HostGateway hosts;

    public ImageStoreCapacity(ImageStoreRepository stores, HostGateway hosts) {
        this.stores = stores;
        this.hosts = hosts;
    }

    /** Returns how many stores were read; one that cannot be read keeps its last figures. */
    public int refresh() {
        int read = 0;
        ImageStoreRepository.Filter all = new ImageStoreRepository.Filter(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
        for (ImageStoreRepository.StoreRow store : stores.list(all, "")) {
            try {
                Answer answer = hosts.sendToAnyHost(PoolScope.zone(store.zoneUuid()),
                        new TestImageStoreCommand(store.url(), store.credentials()), TIMEOUT);
                if (answer.success() && answer instanceof ImageStoreAnswer capacity) {
                    stores.capacity(store.id(), capacity.totalBytes(), capacity.usedBytes());
                    read++;
                } else {
                    LOG.warn("Image store {} cannot be used from its zone now: {}", store.name(), answer.details());
                }
            } catch (StorageException e) {
                LOG.debug("Image store {} not read: {}", store.name(), e.getMessage());
            }
        }
        return read;
    }
}
