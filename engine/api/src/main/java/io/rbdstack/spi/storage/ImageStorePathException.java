package io.rbdstack.spi.storage;

/**
 * A path or URL that may not be an image store; the message says why, for an admin to act on, and
 * {@link #part()} which part of the store is at fault (an S3 store's {@code endpoint}, {@code bucket},
 * {@code usehttps} or {@code region}), so that the server can name the parameter that carried it.
 */
public final class ImageStorePathException extends IllegalArgumentException {

    private final String part;

    public ImageStorePathException(String message) {
        this(message, null);
    }

    public ImageStorePathException(String message, String part) {
        super(message);
        this.part = part;
    }

    /** The part of the store the message is about, or null when it is about the whole URL. */
    public String part() {
        return part;
    }
}
