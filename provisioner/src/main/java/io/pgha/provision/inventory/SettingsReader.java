package io.pgha.provision.inventory;

import io.pgha.config.Node;

import java.util.Optional;

/**
 * The global settings, with Pigsty's defaults; its default passwords are public, so a real
 * inventory sets its own.
 */
final class SettingsReader {
    private SettingsReader() {
    }

    static Settings read(Node allVars, Node etcdVars) {
        Scope etcd = Scope.of(etcdVars, allVars);
        Node adminIpNode = allVars.get("admin_ip");
        Optional<String> adminIp = Read.matching(adminIpNode, s -> Addresses.ip(s).isPresent(), "an IPv4 or IPv6 address");
        return new Settings(
                name(allVars, "pg_dbsu", "postgres"),
                name(allVars, "pg_admin_username", "dbuser_dba"),
                secret(allVars, "pg_admin_password", "DBUser.DBA"),
                name(allVars, "pg_replication_username", "replicator"),
                secret(allVars, "pg_replication_password", "DBUser.Replicator"),
                name(allVars, "pg_monitor_username", "dbuser_monitor"),
                secret(allVars, "pg_monitor_password", "DBUser.Monitor"),
                Read.port(etcd.get("etcd_port")).orElse(2379),
                Read.port(etcd.get("etcd_peer_port")).orElse(2380),
                etcd.get("etcd_cluster").string().orElse("etcd"),
                allVars.get("ansible_user").string().orElse("root"),
                Read.port(allVars.get("ansible_port")).orElse(22),
                adminIp,
                Read.matching(allVars.get("prometheus_sd_dir"), s -> s.startsWith("/") && !s.endsWith("/") && !s.contains(".."),
                        "an absolute directory path without a trailing /").orElse("/etc/prometheus/targets"),
                Read.matching(allVars.get("dns_zone"), SettingsReader::dnsName,
                        "a DNS zone of lowercase letters, digits, '-' and '.', like pigsty or db.example.com").orElse("pigsty"));
    }

    static boolean dnsName(String s) {
        return s.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*") && s.length() <= 200;
    }

    private static String name(Node vars, String key, String fallback) {
        return UserReader.roleName(vars.get(key)).orElse(fallback);
    }

    private static Secret secret(Node vars, String key, String fallback) {
        return Read.secret(vars.get(key)).orElse(new Secret(fallback));
    }
}
