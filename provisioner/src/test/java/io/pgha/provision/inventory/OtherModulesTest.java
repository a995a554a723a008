package io.pgha.provision.inventory;

import org.junit.jupiter.api.Test;

import static io.pgha.provision.inventory.Inventories.parse;
import static org.assertj.core.api.Assertions.assertThat;

/** Pigsty inventories also hold its other modules; pgha reads past them and says what it left out. */
class OtherModulesTest {
    @Test
    void groupsOfOtherModulesAndTheirKeysAreIgnored() {
        Inventory inv = parse("""
                all:
                  children:
                    infra:
                      hosts: { 10.10.10.10: { infra_seq: 1 } }
                      vars: { repo_enabled: true }
                    etcd:
                      hosts: { 10.10.10.10: { etcd_seq: 1 } }
                      vars: { etcd_cluster: etcd, etcd_safeguard: false }
                    minio:
                      hosts: { 10.10.10.10: { minio_seq: 1 } }
                      vars: { minio_cluster: minio }
                    cache:
                      hosts: { 10.10.10.11: { redis_node: 1, redis_instances: { 6379: {} } } }
                      vars: { redis_cluster: cache }
                    pg-app:
                      hosts:
                        10.10.10.11: { pg_seq: 1, pg_role: primary, pg_weight: 100 }
                      vars:
                        pg_cluster: pg-app
                        pg_libs: 'pg_stat_statements, auto_explain'
                        pg_users: [{ name: dbuser_app, password: App.Pass, pgbouncer: true, pool_mode: session, roles: [dbrole_readwrite] }]
                        pg_databases: [{ name: app, owner: dbuser_app, schemas: [app], extensions: [{ name: vector, schema: public }] }]
                        pg_services: [{ name: standby, port: 5435, check: /sync, ip: "*", maxconn: 3000 }]
                        node_crontab: ['00 01 * * * postgres /pg/bin/pg-backup full']
                  vars:
                    admin_ip: 10.10.10.10
                    node_tune: oltp
                    pgbackrest_method: minio
                """);
        assertThat(inv.clusters()).containsOnlyKeys("pg-app");
        assertThat(inv.hosts()).containsExactly("10.10.10.10", "10.10.10.11");
        assertThat(inv.infra()).as("the infra group says where the monitoring targets go").containsExactly(new InfraNode("10.10.10.10", 1));
        assertThat(inv.clusters().get("pg-app").vars().databases().get(0).extensions()).containsExactly("vector");
        assertThat(inv.ignored()).containsExactly(
                "all.children.cache", "all.children.minio", "etcd_safeguard",
                "minio_cluster", "minio_seq", "node_crontab", "node_tune", "pg_databases[].extensions[].schema",
                "pg_databases[].schemas", "pg_libs", "pg_services[].ip", "pg_services[].maxconn", "pg_users[].pgbouncer",
                "pg_users[].pool_mode", "pg_weight", "pgbackrest_method", "redis_cluster", "redis_instances", "redis_node",
                "repo_enabled");
    }
}
