package io.pgha.dcs.etcd;

import io.pgha.dcs.model.KeyLayout;
import io.pgha.launch.EtcdCluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** DCS clients for one test, each on a scope of its own, all closed after the test. */
final class EtcdTestClients implements AutoCloseable {
    private final EtcdCluster etcd;
    private final List<EtcdDcs> open = new ArrayList<>();
    final String scope = "t-" + UUID.randomUUID().toString().substring(0, 8);

    EtcdTestClients(EtcdCluster etcd) {
        this.etcd = etcd;
    }

    EtcdDcs client(Duration retryTimeout) {
        return client(retryTimeout, etcd.clientUrls());
    }

    EtcdDcs client(Duration retryTimeout, List<String> endpoints) {
        EtcdDcs dcs = new EtcdDcs(new KeyLayout("/service", scope), EtcdSettings.plain(endpoints, retryTimeout));
        open.add(dcs);
        return dcs;
    }

    @Override
    public void close() {
        open.forEach(EtcdDcs::close);
    }
}
