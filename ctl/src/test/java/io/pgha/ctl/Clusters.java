package io.pgha.ctl;

import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.dcs.model.RawEntry;

import java.util.ArrayList;
import java.util.List;

/** DCS snapshots for unit tests, built from the raw keys a backend would return. */
final class Clusters {
    static final KeyLayout LAYOUT = new KeyLayout("/service", "demo");

    private final List<RawEntry> entries = new ArrayList<>();
    private long version = 10;

    static Clusters demo() {
        return new Clusters().key("initialize", "7268616322854375442").key("config", "{\"rto\":\"fast\"}");
    }

    Clusters key(String path, String value) {
        entries.removeIf(e -> e.key().equals(LAYOUT.prefix() + path));
        entries.add(new RawEntry(LAYOUT.prefix() + path, value, version++, 0));
        return this;
    }

    Clusters leader(String name) {
        return key("leader", name);
    }

    /** A member on 127.0.0.1 with PostgreSQL port 5432+n and REST 8008+n; {@code extra} is more JSON fields. */
    Clusters member(String name, int n, String role, long xlog, String extra) {
        String repl = role.equals("replica") ? ",\"replication_state\":\"streaming\"" : "";
        return key("members/" + name, "{\"conn_url\":\"postgres://127.0.0.1:" + (5432 + n) + "/postgres\",\"api_url\":\"http://127.0.0.1:"
                + (8008 + n) + "/patroni\",\"state\":\"running\",\"role\":\"" + role + "\",\"timeline\":2,\"xlog_location\":" + xlog
                + repl + (extra.isEmpty() ? "" : "," + extra) + "}");
    }

    Cluster build() {
        return Cluster.fromEntries(LAYOUT, entries, version);
    }

    ClusterView view() {
        return ClusterView.of(build(), "demo");
    }

    /** n1 leader at 0/3000000 (status optime), n2 streaming 1 MiB behind, n3 cascading from n2 and 2 MiB behind. */
    static ClusterView threeNodes() {
        return demo().leader("n1")
                .key("status", "{\"optime\":50331648}")
                .member("n1", 1, "primary", 50331648, "")
                .member("n2", 2, "replica", 50331648 - 1048576, "")
                .member("n3", 3, "replica", 50331648 - 2097152, "\"tags\":{\"replicatefrom\":\"n2\"},\"pending_restart\":true")
                .view();
    }
}
