package io.pgha.dcs.etcd;

import io.pgha.config.DcsConfig;
import io.pgha.config.Etcd3Config;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.DcsBackend;
import io.pgha.dcs.model.KeyLayout;

import java.time.Duration;

/** The {@code etcd3} section, served by jetcd; registered in {@code META-INF/services}. */
public final class EtcdBackend implements DcsBackend {

    @Override
    public boolean serves(DcsConfig config) {
        return config instanceof Etcd3Config;
    }

    @Override
    public Dcs open(KeyLayout layout, DcsConfig config, Duration retryTimeout) {
        return new EtcdDcs(layout, EtcdSettings.of((Etcd3Config) config, retryTimeout));
    }
}
