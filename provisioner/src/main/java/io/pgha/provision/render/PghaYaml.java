package io.pgha.provision.render;

import io.pgha.provision.inventory.EtcdMember;
import io.pgha.provision.inventory.HbaRules;
import io.pgha.provision.inventory.Inventory;
import io.pgha.provision.inventory.PgCluster;
import io.pgha.provision.inventory.PgHost;
import io.pgha.provision.inventory.PgRole;
import io.pgha.provision.inventory.Settings;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * /etc/pgha/pgha.yml of one member. Passwords are not in it: they go to pgha.env, which the units
 * read, so this file can be shown in a plan whole.
 */
final class PghaYaml {
    private PghaYaml() {
    }

    static String render(Inventory inv, PgCluster cluster, PgHost host, String inventoryName) {
        Settings s = inv.settings();
        var v = cluster.vars();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("scope", cluster.name());
        doc.put("namespace", v.namespace());
        doc.put("name", host.memberName(cluster.name()));

        Map<String, Object> rest = new LinkedHashMap<>();
        rest.put("listen", host.address() + ":" + v.restPort());
        rest.put("connect_address", host.address() + ":" + v.restPort());
        doc.put("restapi", rest);

        doc.put("etcd3", Map.of("hosts", etcdHosts(inv)));

        Map<String, Object> dcs = new LinkedHashMap<>();
        v.rto().preset().ifPresent(p -> dcs.put("rto", p.name().toLowerCase(Locale.ROOT)));
        v.rto().ttlSeconds().ifPresent(t -> dcs.put("ttl", t));
        dcs.put("maximum_lag_on_failover", v.rpo());
        if (v.synchronous()) {
            dcs.put("synchronous_mode", true);
        }
        dcs.put("postgresql", Map.of("parameters", Tuning.parameters(v.pgConf())));
        cluster.standbyOf().ifPresent(remote -> {
            Map<String, Object> standby = new LinkedHashMap<>();
            standby.put("host", remote);
            standby.put("port", v.pgPort()); // Pigsty runs every cluster on the one pg_port
            cluster.primary().delay().ifPresent(d -> standby.put("recovery_min_apply_delay", seconds(d)));
            dcs.put("standby_cluster", standby);
        });
        doc.put("bootstrap", Map.of("dcs", dcs));

        Map<String, Object> pg = new LinkedHashMap<>();
        pg.put("listen", "0.0.0.0:" + v.pgPort());
        pg.put("connect_address", host.address() + ":" + v.pgPort());
        pg.put("data_dir", v.dataDir());
        pg.put("bin_dir", "/usr/lib/postgresql/" + v.pgVersion() + "/bin");
        pg.put("use_pg_rewind", true);
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("superuser", Map.of("username", s.dbsu()));
        auth.put("replication", Map.of("username", s.replicationUsername()));
        pg.put("authentication", auth);
        pg.put("pg_hba", HbaRules.lines(cluster, host, inv));
        if (host.role() != PgRole.PRIMARY) {
            // A delayed replica of an ordinary cluster; a standby cluster's delay is in standby_cluster.
            host.delay().ifPresent(d -> pg.put("parameters", Map.of("recovery_min_apply_delay", seconds(d))));
        }
        doc.put("postgresql", pg);

        Map<String, Object> tags = new LinkedHashMap<>();
        // An offline instance serves the offline service and reports; it is never promoted.
        // A delayed replica is behind on purpose: promoted, it would lose (or first replay) the delay.
        tags.put("nofailover", host.role() == PgRole.OFFLINE || host.role() != PgRole.PRIMARY && host.delay().isPresent());
        tags.put("noloadbalance", host.role() == PgRole.OFFLINE);
        if (host.role() == PgRole.OFFLINE || host.offlineQuery()) {
            tags.put("offline", true); // the HAProxy bridge's offline service selects tag:offline
        }
        host.upstream().flatMap(cluster::host).ifPresent(u -> tags.put("replicatefrom", u.memberName(cluster.name())));
        doc.put("tags", tags);
        v.haproxyMaxconn().ifPresent(m -> doc.put("haproxy", Map.of("maxconn", m)));
        return Yaml.dump(Managed.header("pgha.yml of " + host.memberName(cluster.name()), inventoryName), doc);
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    static List<String> etcdHosts(Inventory inv) {
        return inv.etcd().stream().map(m -> m.address() + ":" + inv.settings().etcdPort()).toList();
    }

    static List<String> etcdEndpoints(Inventory inv) {
        return inv.etcd().stream().map(EtcdMember::address).map(a -> "http://" + a + ":" + inv.settings().etcdPort()).toList();
    }
}
