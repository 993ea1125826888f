package dev.tollgate.billing;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;

/**
 * A class of operations the gate decides on: {@link #READ}, {@link #WRITE}, {@link #PURCHASE}, or a
 * user-named class such as {@code export} or {@code invite_member}.
 *
 * <p>Instances are interned: {@code OperationClass.of("export") == OperationClass.of("export")}. Create
 * them once (as constants), not per request: at most {@value #MAX_CLASSES} classes may exist.
 */
public final class OperationClass {

    /** The most operation classes one JVM may define. */
    public static final int MAX_CLASSES = 256;

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.-]{0,63}");
    private static final ConcurrentMap<String, OperationClass> INTERNED = new ConcurrentHashMap<>();
    private static int next;

    /** Reading data: allowed in every status unless the policy denies reads. */
    public static final OperationClass READ = of("read");
    /** Changing data: denied when the status blocks writes. */
    public static final OperationClass WRITE = of("write");
    /**
     * Starting a purchase or subscription change: allowed in every status (a tenant must be able to
     * pay), but refused with 503 while the purchases kill switch is off.
     */
    public static final OperationClass PURCHASE = of("purchase");

    private final String name;
    private final int index;

    private OperationClass(String name, int index) {
        this.name = name;
        this.index = index;
    }

    /**
     * The operation class with this name.
     *
     * @param name lower-case letters, digits, {@code _ . -}, starting with a letter, at most 64 characters
     * @return the interned class
     * @throws IllegalArgumentException if the name is malformed or {@value #MAX_CLASSES} classes exist already
     */
    public static OperationClass of(String name) {
        Objects.requireNonNull(name, "name");
        OperationClass existing = INTERNED.get(name);
        if (existing != null) {
            return existing;
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("operation class name must be lower-case letters, digits, '_', '.'"
                    + " or '-', start with a letter and be at most 64 characters, but was '"
                    + (name.length() > 64 ? name.substring(0, 64) + "…" : name) + "'");
        }
        synchronized (OperationClass.class) {
            return INTERNED.computeIfAbsent(name, n -> {
                if (next >= MAX_CLASSES) {
                    throw new IllegalArgumentException("at most " + MAX_CLASSES + " operation classes may exist:"
                            + " define them as constants, not per request");
                }
                return new OperationClass(n, next++);
            });
        }
    }

    /**
     * The name.
     *
     * @return the name, such as {@code write}
     */
    public String name() {
        return name;
    }

    /** A dense index, for per-class arrays. */
    int index() {
        return index;
    }

    @Override
    public String toString() {
        return name;
    }
}
