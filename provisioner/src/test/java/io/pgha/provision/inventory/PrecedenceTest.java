package io.pgha.provision.inventory;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.pgha.provision.inventory.Inventories.parse;
import static io.pgha.provision.inventory.Inventories.problems;
import static org.assertj.core.api.Assertions.assertThat;

class PrecedenceTest {
    private static final String YAML = """
            all:
              children:
                etcd:
                  hosts: { 10.10.10.10: { etcd_seq: 1 }, 10.10.10.20: { etcd_seq: 2 } }
                  vars: { etcd_port: 12379 }
                pg-a:
                  hosts:
                    10.10.10.11: { pg_seq: 1, pg_role: primary, pg_offline_query: false }
                    10.10.10.12: { pg_seq: 2 }
                    10.10.10.13: { pg_seq: 3, pg_delay: 5min }
                  vars:
                    pg_cluster: pg-a
                    pg_role: replica
                    pg_offline_query: true
                    pg_port: 6001
                pg-b:
                  hosts:
                    10.10.10.21: { pg_seq: 1, pg_role: primary }
                  vars: { pg_cluster: pg-b }
              vars:
                pg_port: 6000
                pg_delay: 1h
                pg_offline_query: false
                etcd_port: 2379
                etcd_peer_port: 12380
                ansible_user: admin
                pg_admin_password: Secret.Admin
            """;

    @Test
    void hostVarsOverGroupVarsOverAllVars() {
        Inventory inv = parse(YAML);
        PgCluster a = inv.clusters().get("pg-a");
        assertThat(a.vars().pgPort()).isEqualTo(6001);
        assertThat(inv.clusters().get("pg-b").vars().pgPort()).isEqualTo(6000);
        assertThat(a.host("10.10.10.11").orElseThrow().offlineQuery()).isFalse();
        assertThat(a.host("10.10.10.12").orElseThrow().offlineQuery()).isTrue();
        assertThat(a.host("10.10.10.12").orElseThrow().role()).isEqualTo(PgRole.REPLICA);
        assertThat(a.host("10.10.10.12").orElseThrow().delay()).contains(Duration.ofHours(1));
        assertThat(a.host("10.10.10.13").orElseThrow().delay()).contains(Duration.ofMinutes(5));
        assertThat(inv.clusters().get("pg-b").primary().offlineQuery()).isFalse();
    }

    @Test
    void etcdGroupVarsOverAllVars() {
        Settings s = parse(YAML).settings();
        assertThat(s.etcdPort()).isEqualTo(12379);
        assertThat(s.etcdPeerPort()).isEqualTo(12380);
        assertThat(s.sshUser()).isEqualTo("admin");
        assertThat(parse(YAML).hosts()).containsExactly("10.10.10.10", "10.10.10.20", "10.10.10.11", "10.10.10.12",
                "10.10.10.13", "10.10.10.21");
    }

    @Test
    void clustersKeepFileOrder() {
        assertThat(parse(YAML).clusters().keySet()).containsExactly("pg-a", "pg-b");
    }

    @Test
    void aBadValueInAllVarsIsReportedOnceWhereItWasWritten() {
        assertThat(problems(YAML.replace("pg_port: 6000", "pg_port: 0").replace("pg_cluster: pg-b }", "pg_cluster: pg-b }\n    pg-c:\n      hosts: { 10.10.10.31: { pg_seq: 1, pg_role: primary } }\n      vars: { pg_cluster: pg-c }")))
                .containsExactly("all.vars.pg_port: expected a port number 1..65535, got 0");
    }

    @Test
    void aPasswordOfTheWrongTypeIsNotQuotedBack() {
        assertThat(problems(YAML.replace("pg_admin_password: Secret.Admin", "pg_admin_password: 271828")
                .replace("pg_cluster: pg-b }", "pg_cluster: pg-b, pg_users: [{ name: dbuser_b, password: 314159 }] }")))
                .containsExactly("all.vars.pg_admin_password: expected a string (quote it; the value is not shown here)",
                        "all.children.pg-b.vars.pg_users[0].password: expected a string (quote it; the value is not shown here)")
                .noneMatch(p -> p.contains("271828") || p.contains("314159"));
    }

    @Test
    void secretsNeverLeakThroughToString() {
        Inventory inv = parse(YAML.replace("pg-b }", "pg-b, pg_users: [{ name: dbuser_b, password: Secret.User }] }"));
        assertThat(inv.toString()).doesNotContain("Secret.Admin", "Secret.User", "DBUser.Replicator");
        assertThat(inv.settings().toString()).doesNotContain("Secret.Admin");
        assertThat(inv.clusters().get("pg-b").vars().users().get(0).toString()).contains("password=Optional[••••]");
        assertThat(inv.clusters().get("pg-b").vars().users().get(0).password().orElseThrow().reveal()).isEqualTo("Secret.User");
    }
}
