package io.pgha.provision.inventory;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.pgha.provision.inventory.Where.ALL_VARS;
import static io.pgha.provision.inventory.Where.ETCD_HOST;
import static io.pgha.provision.inventory.Where.ETCD_VARS;
import static io.pgha.provision.inventory.Where.INFRA_HOST;
import static io.pgha.provision.inventory.Where.PG_HOST;
import static io.pgha.provision.inventory.Where.PG_VARS;

/**
 * The one list of the inventory keys pgha implements, and where each may be set. Every other key is
 * Pigsty's business (it has hundreds) and is reported as ignored, unless it is a near miss of one
 * of these, which is far more likely a typo than a Pigsty key.
 */
final class ImplementedKeys {
    /** What a key is, which fixes where it may stand and what to say when it stands elsewhere. */
    enum Level {
        /** The same for the whole inventory. */
        GLOBAL(EnumSet.of(ALL_VARS), "it is global in pgha: set it in all.vars"),
        /** A DCS setting: the etcd group's vars over all.vars. */
        ETCD(EnumSet.of(ALL_VARS, ETCD_VARS), "it configures the DCS: set it in all.vars or all.children.etcd.vars"),
        /** The cluster's vars over all.vars. */
        CLUSTER(EnumSet.of(ALL_VARS, PG_VARS), "it is cluster-wide in pgha: set it in the cluster's vars or in all.vars"),
        /** Names a cluster, so only a cluster group can say it. */
        GROUP(EnumSet.of(PG_VARS), "it names the cluster: set it in the cluster group's vars"),
        /** Per member, with the cluster's vars and all.vars as defaults. */
        MEMBER(EnumSet.of(ALL_VARS, PG_VARS, PG_HOST), "it is per PostgreSQL member: set it on the host or in the cluster's vars"),
        /** Identifies one member, so only the member can say it. */
        HOST(EnumSet.of(PG_HOST), "it identifies one member: set it on the host, under the cluster's hosts"),
        ETCD_MEMBER(EnumSet.of(ETCD_HOST), "it identifies one etcd member: set it on the host, under all.children.etcd.hosts"),
        INFRA_MEMBER(EnumSet.of(INFRA_HOST), "it identifies one infra node: set it on the host, under all.children.infra.hosts");

        final Set<Where> allowed;
        final String hint;

        Level(Set<Where> allowed, String hint) {
            this.allowed = allowed;
            this.hint = hint;
        }
    }

    static final Map<String, Level> KEYS = keys();

    /**
     * Pigsty keys that are within typing distance of an implemented key; without this list they
     * would be "corrected" to it.
     */
    static final Set<String> PIGSTY_NEIGHBOURS = Set.of("pgb_hba_rules", "pgb_default_hba_rules", "vip_address",
            "vip_interface", "vip_enabled", "pg_mode", "pg_users_extra", "pg_hba_rules_extra", "pg_services_extra",
            "pg_databases_extra", "expire_in", "pg_exporter_port", "etcd_api", "gp_role");

    /** Pigsty fields of the objects pgha reads, each list in the order of the docs table. */
    static final List<String> USER_FIELDS = List.of("name", "password", "login", "superuser", "createdb", "createrole",
            "inherit", "replication", "bypassrls", "connlimit", "expire_at", "roles", "comment", "state");
    static final List<String> DATABASE_FIELDS = List.of("name", "owner", "template", "encoding", "locale", "comment",
            "extensions", "state");
    static final List<String> HBA_FIELDS = List.of("user", "db", "addr", "auth", "title", "role", "order", "rules");
    static final List<String> SERVICE_FIELDS = List.of("name", "port", "dest", "check", "selector", "backup");

    private ImplementedKeys() {
    }

    private static Map<String, Level> keys() {
        Map<String, Level> k = new LinkedHashMap<>();
        k.put("pg_cluster", Level.GROUP);
        k.put("pg_seq", Level.HOST);
        k.put("pg_upstream", Level.HOST);
        k.put("pg_role", Level.MEMBER);
        k.put("pg_offline_query", Level.MEMBER);
        k.put("pg_delay", Level.MEMBER);
        for (String c : List.of("pg_users", "pg_databases", "pg_hba_rules", "pg_default_hba_rules", "pg_services",
                "pg_default_services", "pg_default_service_dest", "pg_vip_enabled", "pg_vip_address",
                "pg_vip_interface", "pg_version", "pg_port", "patroni_port", "pg_data", "pg_conf", "patroni_mode",
                "pg_rto", "pg_rpo", "pg_namespace", "haproxy_maxconn", "pg_dns_suffix", "pg_dns_target")) {
            k.put(c, Level.CLUSTER);
        }
        for (String g : List.of("pg_dbsu", "pg_admin_username", "pg_admin_password", "pg_replication_username",
                "pg_replication_password", "pg_monitor_username", "pg_monitor_password", "admin_ip", "ansible_user",
                "ansible_port", "prometheus_sd_dir", "dns_zone")) {
            k.put(g, Level.GLOBAL);
        }
        k.put("etcd_seq", Level.ETCD_MEMBER);
        k.put("infra_seq", Level.INFRA_MEMBER);
        for (String e : List.of("etcd_cluster", "etcd_port", "etcd_peer_port")) {
            k.put(e, Level.ETCD);
        }
        return Map.copyOf(k);
    }
}
