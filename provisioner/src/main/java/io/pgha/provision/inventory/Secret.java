package io.pgha.provision.inventory;

import java.util.Objects;

/**
 * A password from the inventory. Records holding one are printed in plans and logs, so its
 * {@code toString} is a mask; only {@link #reveal()} gives the value, at the point it is written out.
 */
public record Secret(String value) {
    public static final String MASK = "••••";

    public Secret {
        Objects.requireNonNull(value, "value");
    }

    public String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return MASK;
    }
}
