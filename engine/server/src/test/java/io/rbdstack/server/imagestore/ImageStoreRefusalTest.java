package io.rbdstack.server.imagestore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A host's refusal of a new image store names the store once, and the parameter to blame. */
class ImageStoreRefusalTest {

    private static final String NFS = "nfs://127.0.0.1/export/backups";
    private static final String S3 = "s3://127.0.0.1:7480/backups?usehttps=false&region=us-east-1";

    @Test
    void aReasonThatDoesNotNameTheStoreGetsItFromTheServer() {
        StoreUrl store = new StoreUrl(ImageStoreCommands.NFS_PROVIDER, "nfs", NFS, null, "url");
        assertEquals("Host kvm1 cannot use image store " + NFS + ": NFS mount /export/backups from 127.0.0.1 failed:"
                + " mount_cb: RPC error: Mount failed with error MNT3ERR_ACCES(13) Permission denied(13) (errno 13)"
                + " (parameter url)", ImageStoreCommands.refusal("kvm1", store, "NFS mount /export/backups from"
                + " 127.0.0.1 failed: mount_cb: RPC error: Mount failed with error MNT3ERR_ACCES(13) Permission"
                + " denied(13) (errno 13)"));
    }

    // The agent's texts name the store (they serve backups too): the server then does not say it again.
    @Test
    void aReasonThatNamesTheStoreIsNotPrefixedWithItAgain() {
        StoreUrl store = new StoreUrl(ImageStoreCommands.S3_PROVIDER, "http", S3, null, "details");
        String text = ImageStoreCommands.refusal("kvm1", store, "cannot write a probe object to S3 image store " + S3
                + ": Access Denied (Service: S3, Status Code: 403)");
        assertEquals("Host kvm1 cannot use image store: cannot write a probe object to S3 image store " + S3
                + ": Access Denied (Service: S3, Status Code: 403) (parameter details)", text);
    }

    @Test
    void anEmptyReasonSaysSo() {
        StoreUrl store = new StoreUrl(ImageStoreCommands.NFS_PROVIDER, "nfs", NFS, null, null);
        assertEquals("Host kvm1 cannot use image store " + NFS + ": no reason given",
                ImageStoreCommands.refusal("kvm1", store, ""));
    }
}
