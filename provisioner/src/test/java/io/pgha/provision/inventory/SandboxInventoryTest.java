package io.pgha.provision.inventory;

import io.pgha.config.RtoPreset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SandboxInventoryTest {
    static final Path SANDBOX = Path.of("").toAbsolutePath().getParent().resolve("examples/sandbox.yml");

    static Inventory inventory;

    @BeforeAll
    static void read() {
        inventory = InventoryReader.read(SANDBOX);
    }

    @Test
    void etcdGroupIsTheDcs() {
        assertThat(inventory.etcd()).containsExactly(new EtcdMember("10.10.10.10", 1));
        assertThat(inventory.etcd().get(0).name()).isEqualTo("etcd-1");
        assertThat(inventory.etcdMemberOn("10.10.10.10")).isPresent();
        assertThat(inventory.etcdMemberOn("10.10.10.11")).isEmpty();
    }

    @Test
    void pgTestHasThreeMembersInSeqOrder() {
        assertThat(inventory.clusters()).containsOnlyKeys("pg-test");
        PgCluster c = inventory.clusters().get("pg-test");
        assertThat(c.hosts()).containsExactly(
                new PgHost("10.10.10.11", 1, PgRole.PRIMARY, Optional.empty(), Optional.empty(), false),
                new PgHost("10.10.10.12", 2, PgRole.REPLICA, Optional.empty(), Optional.empty(), false),
                new PgHost("10.10.10.13", 3, PgRole.REPLICA, Optional.empty(), Optional.empty(), true));
        assertThat(c.primary().memberName("pg-test")).isEqualTo("pg-test-1");
        assertThat(c.host("10.10.10.13")).map(PgHost::offlineQuery).contains(true);
        assertThat(inventory.clusterOf("10.10.10.12")).contains(c);
        assertThat(inventory.clusterOf("10.10.10.10")).isEmpty();
        assertThat(inventory.hosts()).containsExactly("10.10.10.10", "10.10.10.11", "10.10.10.12", "10.10.10.13");
    }

    @Test
    void clusterVarsWithDefaults() {
        ClusterVars v = inventory.clusters().get("pg-test").vars();
        assertThat(v.vip()).contains(new Vip("10.10.10.3", 24, "eth1"));
        assertThat(v.pgVersion()).isEqualTo(15);
        assertThat(v.pgPort()).isEqualTo(5432);
        assertThat(v.restPort()).isEqualTo(8008);
        assertThat(v.dataDir()).isEqualTo("/pg/data");
        assertThat(v.pgConf()).isEqualTo(PgConf.OLTP);
        assertThat(v.patroniMode()).isEqualTo(PatroniMode.DEFAULT);
        assertThat(v.rto()).isEqualTo(Rto.of(RtoPreset.NORM));
        assertThat(v.rpo()).isEqualTo(1_048_576L);
        assertThat(v.synchronous()).isFalse();
        assertThat(v.namespace()).isEqualTo("/pg");
        assertThat(v.services()).extracting(PgService::name, PgService::port, PgService::dest, PgService::check)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("primary", 5433, "postgres", "/primary"),
                        org.assertj.core.groups.Tuple.tuple("replica", 5434, "postgres", "/read-only"),
                        org.assertj.core.groups.Tuple.tuple("default", 5436, "postgres", "/primary"),
                        org.assertj.core.groups.Tuple.tuple("offline", 5438, "postgres", "/replica"));
    }

    @Test
    void usersAndDatabases() {
        ClusterVars v = inventory.clusters().get("pg-test").vars();
        assertThat(v.users()).extracting(PgUser::name).containsExactly("dbuser_test", "dbuser_view", "dbuser_blocked");
        PgUser test = v.user("dbuser_test").orElseThrow();
        assertThat(test.password()).map(Secret::reveal).contains("DBUser.Test");
        assertThat(test.roles()).containsExactly("dbrole_admin");
        assertThat(test.login()).isTrue();
        assertThat(test.inherit()).isTrue();
        assertThat(test.superuser()).isFalse();
        assertThat(test.state()).isEqualTo(State.PRESENT);
        assertThat(v.user("dbuser_view").orElseThrow().roles()).containsExactly("dbrole_readonly");
        assertThat(v.databases()).containsExactly(new PgDatabase("test", Optional.of("dbuser_test"), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.of("the sandbox's test database"), List.of(), State.PRESENT));
        assertThat(v.hbaRules()).extracting(HbaRule::user, HbaRule::addr, HbaRule::auth)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dbuser_blocked", "world", "deny"),
                        org.assertj.core.groups.Tuple.tuple("dbuser_view", "intra", "pwd"));
    }

    @Test
    void settingsFromAllVars() {
        Settings s = inventory.settings();
        assertThat(s.dbsu()).isEqualTo("postgres");
        assertThat(s.adminUsername()).isEqualTo("dbuser_dba");
        assertThat(s.adminPassword().reveal()).isEqualTo("DBUser.DBA");
        assertThat(s.replicationUsername()).isEqualTo("replicator");
        assertThat(s.replicationPassword().reveal()).isEqualTo("DBUser.Replicator");
        assertThat(s.monitorUsername()).isEqualTo("dbuser_monitor");
        assertThat(s.monitorPassword().reveal()).isEqualTo("DBUser.Monitor");
        assertThat(s.etcdPort()).isEqualTo(2379);
        assertThat(s.etcdPeerPort()).isEqualTo(2380);
        assertThat(s.etcdCluster()).isEqualTo("etcd");
        assertThat(s.sshUser()).isEqualTo("root");
        assertThat(s.sshPort()).isEqualTo(22);
        assertThat(s.adminIp()).contains("10.10.10.10");
    }

    @Test
    void pigstyKeysPgHaDoesNotImplementAreListedOnce() {
        assertThat(inventory.ignored()).containsExactly("infra_portal", "node_tune", "region", "version");
    }

    @Test
    void secretsNeverShowInToString() {
        String shown = inventory.toString();
        assertThat(shown).doesNotContain("DBUser.Test", "DBUser.View", "DBUser.Blocked", "DBUser.DBA",
                "DBUser.Replicator", "DBUser.Monitor");
        assertThat(shown).contains(Secret.MASK);
        assertThat(new Secret("x").toString()).isEqualTo("••••");
    }
}
