package dev.tollgate.webhooks.internal.signature;

import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One HMAC-SHA256 key, initialised once. {@link #newMac()} hands out a fresh, keyed {@link Mac} by cloning
 * an initialised prototype, which avoids the provider lookup of {@code Mac.getInstance} and the key
 * schedule of {@code Mac.init} on every delivery. The prototype itself is never updated, so concurrent
 * callers can clone it safely.
 */
public final class HmacSha256Key {

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec keySpec;
    private final Mac prototype;
    private final boolean cloneable;
    private final ThreadLocal<Mac> perThread = ThreadLocal.withInitial(this::newMac);

    private HmacSha256Key(SecretKeySpec keySpec, Mac prototype, boolean cloneable) {
        this.keySpec = keySpec;
        this.prototype = prototype;
        this.cloneable = cloneable;
    }

    /**
     * Creates a key.
     *
     * @param key the raw key bytes, not empty (copied by the JDK)
     * @return the key
     * @throws IllegalStateException if the JDK offers no HmacSHA256 (never on a standard JDK)
     */
    public static HmacSha256Key of(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length == 0) {
            throw new IllegalArgumentException("an HMAC key must not be empty");
        }
        SecretKeySpec spec = new SecretKeySpec(key, ALGORITHM);
        Mac prototype = initialised(spec);
        boolean cloneable;
        try {
            prototype.clone();
            cloneable = true;
        } catch (CloneNotSupportedException e) {
            cloneable = false;
        }
        return new HmacSha256Key(spec, prototype, cloneable);
    }

    /**
     * Returns a keyed {@link Mac} for one computation; it is not shared with any other caller.
     *
     * @return a fresh keyed Mac
     */
    public Mac newMac() {
        if (cloneable) {
            try {
                return (Mac) prototype.clone();
            } catch (CloneNotSupportedException e) {
                // The provider said otherwise when the key was created; fall through to a fresh instance.
            }
        }
        return initialised(keySpec);
    }

    /**
     * Returns the calling thread's keyed {@link Mac}, reset: for one computation at a time on this thread, without
     * a clone per call (a verification runs start to end on one thread). Holds only JDK classes, so a container
     * thread that keeps it keeps no application class loader alive.
     *
     * @return this thread's keyed Mac, reset
     */
    public Mac threadMac() {
        Mac mac = perThread.get();
        mac.reset();
        return mac;
    }

    private static Mac initialised(SecretKeySpec spec) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(spec);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot compute HmacSHA256, which every Java SE platform must support", e);
        }
    }

    /** Never shows the key. */
    @Override
    public String toString() {
        return "HmacSha256Key[****]";
    }
}
