package io.pgha.provision.render;

import io.pgha.provision.inventory.EtcdMember;
import io.pgha.provision.inventory.Inventory;
import io.pgha.provision.inventory.Settings;

import java.util.stream.Collectors;

/**
 * /etc/default/etcd, which the distribution's etcd.service reads: one member of the DCS cluster.
 * INITIAL_* only matter the first time a member starts; later starts read the data directory.
 */
final class EtcdDefaults {
    private EtcdDefaults() {
    }

    static String render(Inventory inv, EtcdMember m, String inventoryName) {
        Settings s = inv.settings();
        String client = "http://" + m.address() + ":" + s.etcdPort();
        String peer = "http://" + m.address() + ":" + s.etcdPeerPort();
        String cluster = inv.etcd().stream().map(e -> e.name() + "=http://" + e.address() + ":" + s.etcdPeerPort())
                .collect(Collectors.joining(","));
        return Managed.header("etcd member " + m.name() + " of " + s.etcdCluster(), inventoryName)
                + "ETCD_NAME=" + m.name() + "\n"
                + "ETCD_DATA_DIR=/var/lib/etcd/" + s.etcdCluster() + "\n"
                + "ETCD_LISTEN_CLIENT_URLS=" + client + ",http://127.0.0.1:" + s.etcdPort() + "\n"
                + "ETCD_ADVERTISE_CLIENT_URLS=" + client + "\n"
                + "ETCD_LISTEN_PEER_URLS=" + peer + "\n"
                + "ETCD_INITIAL_ADVERTISE_PEER_URLS=" + peer + "\n"
                + "ETCD_INITIAL_CLUSTER=" + cluster + "\n"
                + "ETCD_INITIAL_CLUSTER_TOKEN=" + s.etcdCluster() + "\n"
                + "ETCD_INITIAL_CLUSTER_STATE=new\n";
    }
}
