package io.pgha.dcs.consul;

import io.pgha.config.ConsulConfig;
import io.pgha.config.DcsConfig;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.DcsBackend;
import io.pgha.dcs.model.KeyLayout;

import java.time.Duration;

/** The {@code consul} section, served over the agent's HTTP API; registered in {@code META-INF/services}. */
public final class ConsulBackend implements DcsBackend {

    @Override
    public boolean serves(DcsConfig config) {
        return config instanceof ConsulConfig;
    }

    @Override
    public Dcs open(KeyLayout layout, DcsConfig config, Duration retryTimeout) {
        return new ConsulDcs(layout, ConsulSettings.of((ConsulConfig) config, retryTimeout));
    }
}
