package io.rbdstack.spi.storage;

/** A path or URL that may not be an image store; the message says why, for an admin to act on. */
public final class ImageStorePathException extends IllegalArgumentException {

    public ImageStorePathException(String message) {
        super(message);
    }
}
