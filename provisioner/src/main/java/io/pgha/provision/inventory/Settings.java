package io.pgha.provision.inventory;

import java.util.Objects;
import java.util.Optional;

/**
 * The inventory's global values ({@code all.vars}, the etcd ones also from the {@code etcd} group's
 * vars), with Pigsty's defaults for what is not set.
 *
 * @param adminIp         Pigsty's admin node, which the {@code admin} and {@code infra} HBA aliases name
 * @param prometheusSdDir {@code prometheus_sd_dir}: where on the infra nodes Prometheus reads its
 *                        file_sd targets; pgha writes {@code pgsql/<member>.yml} below it
 * @param dnsZone         {@code dns_zone} (pgha's key): the DNS zone of the records pgha publishes in
 *                        etcd, e.g. {@code pg-test-primary.pigsty}
 */
public record Settings(String dbsu, String adminUsername, Secret adminPassword, String replicationUsername,
                       Secret replicationPassword, String monitorUsername, Secret monitorPassword, int etcdPort,
                       int etcdPeerPort, String etcdCluster, String sshUser, int sshPort, Optional<String> adminIp,
                       String prometheusSdDir, String dnsZone) {
    public Settings {
        Objects.requireNonNull(dbsu, "dbsu");
        Objects.requireNonNull(adminUsername, "adminUsername");
        Objects.requireNonNull(adminPassword, "adminPassword");
        Objects.requireNonNull(replicationUsername, "replicationUsername");
        Objects.requireNonNull(replicationPassword, "replicationPassword");
        Objects.requireNonNull(monitorUsername, "monitorUsername");
        Objects.requireNonNull(monitorPassword, "monitorPassword");
        Objects.requireNonNull(etcdCluster, "etcdCluster");
        Objects.requireNonNull(sshUser, "sshUser");
        Objects.requireNonNull(adminIp, "adminIp");
        Objects.requireNonNull(prometheusSdDir, "prometheusSdDir");
        Objects.requireNonNull(dnsZone, "dnsZone");
    }

    /** The roles pgha itself creates in every cluster; users may grant or own with them. */
    public boolean isSystemUser(String name) {
        return name.equals(dbsu) || name.equals(adminUsername) || name.equals(replicationUsername)
                || name.equals(monitorUsername);
    }
}
