package io.pgha.dcs;

import io.pgha.config.DcsConfig;
import io.pgha.dcs.model.KeyLayout;

import java.time.Duration;

/**
 * One kind of DCS (etcd, Consul). {@link Dcs#open} finds the backends through {@link java.util.ServiceLoader},
 * so the contract needs no arrow to any backend's package and a new backend is one more service entry.
 */
public interface DcsBackend {

    /** Whether this backend speaks the configured section ({@code etcd3}, {@code consul}). */
    boolean serves(DcsConfig config);

    /** Connects; every call of the returned DCS answers within {@code retryTimeout} or throws. */
    Dcs open(KeyLayout layout, DcsConfig config, Duration retryTimeout);
}
