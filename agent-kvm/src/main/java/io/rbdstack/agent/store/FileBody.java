package io.rbdstack.agent.store;

import java.io.IOException;
import java.nio.channels.GatheringByteChannel;

/** How a store's file takes a backup's bytes ({@link DirectFileOutput}, {@link SyncBehind}). */
interface FileBody extends GatheringByteChannel {

    /** After the last byte: whatever the file still holds back goes to it, and its failure is thrown. */
    void finish() throws IOException;
}
