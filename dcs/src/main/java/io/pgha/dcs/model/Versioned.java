package io.pgha.dcs.model;

import java.util.Objects;

/**
 * A DCS value with the version a compare-and-swap must name to replace it (etcd mod_revision,
 * Consul ModifyIndex).
 */
public record Versioned<T>(T value, long version) {
    public Versioned {
        Objects.requireNonNull(value, "value");
    }
}
