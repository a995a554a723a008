package io.pgha.provision.render;

import io.pgha.config.PghaConfig;
import io.pgha.provision.apply.Step;
import io.pgha.provision.inventory.Inventory;
import io.pgha.provision.inventory.InventoryReader;
import io.pgha.provision.inventory.PgCluster;
import io.pgha.provision.plan.Change;
import io.pgha.provision.plan.DesiredFile;
import io.pgha.provision.plan.HostDesired;
import io.pgha.provision.plan.Observed;
import io.pgha.provision.plan.Planner;
import io.pgha.provision.plan.Redaction;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ClusterStepsTest {
    static final Path SANDBOX = Path.of("").toAbsolutePath().getParent().resolve("examples/sandbox.yml");
    static final Inventory INV = InventoryReader.read(SANDBOX);
    static final List<Step> STEPS = new ClusterSteps(INV, "sandbox.yml", "pgha=0.1.0~SNAPSHOT-1", Duration.ofMinutes(1)).steps(Optional.empty());
    /** What PostgreSQL 15 stored for PASSWORD 'DBUser.Test' (made with a real server). */
    static final String TEST_VERIFIER = "SCRAM-SHA-256$4096:Iv8RV80/qWiTdHsbXh1e8g==$qIMFx4b4B7toliKOiFtJnIcxOYg9aP+Uk0ROU2WM/E4="
            + ":EUfzT3vIhyvuADhvL8oXlzJqSuaeniZm2v4pA+vxCVQ=";

    @Test
    void theStepsComeInTheOrderAClusterCanStart() {
        assertThat(STEPS).extracting(Step::name).containsExactly("dcs", "pg-test primary", "pg-test replicas",
                "pg-test vip and haproxy", "pg-test users and databases", "monitoring targets", "pg-test dns records");
        Step.HostStep replicas = (Step.HostStep) STEPS.get(2);
        assertThat(replicas.parallel()).isTrue();
        assertThat(replicas.hosts()).extracting(HostDesired::host).containsExactly("10.10.10.12", "10.10.10.13");
        assertThat(replicas.checks()).extracting(Step.HealthCheck::command)
                .allMatch(c -> c.contains(":8008/replica"));
    }

    @Test
    void everyMembersPghaYmlIsAConfigTheDaemonAccepts() {
        for (HostDesired h : hostsOf(STEPS.get(1), STEPS.get(2))) {
            String yml = file(h, ClusterSteps.PGHA_YML).content();
            String env = file(h, ClusterSteps.PGHA_ENV).content();
            PghaConfig c = PghaConfig.parse(yml, envOf(env));
            assertThat(c.scope()).isEqualTo("pg-test");
            assertThat(c.name()).startsWith("pg-test-");
            assertThat(c.postgresql().pgHba()).isNotEmpty();
            assertThat(yml).doesNotContain("DBUser.DBA", "DBUser.Replicator", "DBUser.Test");
            assertThat(env).contains("PGHA_SUPERUSER_PASSWORD=DBUser.DBA", "PGHA_REPLICATION_PASSWORD=DBUser.Replicator");
        }
        String offline = file(hostsOf(STEPS.get(2)).get(1), ClusterSteps.PGHA_YML).content();
        assertThat(offline).contains("name: pg-test-3", "offline: true");
        assertThat(file(hostsOf(STEPS.get(2)).get(0), ClusterSteps.PGHA_YML).content()).doesNotContain("offline:");
    }

    @Test
    void aFreshHostsPlanShowsTheFilesButNeverAPassword() {
        HostDesired primary = hostsOf(STEPS.get(1)).get(0);
        List<Change> plan = Planner.plan(primary, new Observed(primary.host(), false, Map.of(), Map.of(), Map.of(), Map.of()));
        String shown = String.join("\n", plan.stream().map(c -> c.summary() + (c instanceof Change.WriteFile w ? w.diff() : "")).toList());
        assertThat(shown).contains("+scope: pg-test", "PGHA_SUPERUSER_PASSWORD=••••", "enable and start pgha.service")
                .doesNotContain("DBUser.");
    }

    @Test
    void theVipFollowsTheMembersLeaderKey() {
        HostDesired edge = hostsOf(STEPS.get(3)).get(0);
        assertThat(file(edge, ClusterSteps.VIP_YML).content()).contains("ip: 10.10.10.3", "netmask: 24", "interface: eth1",
                "trigger-key: /pg/pg-test/leader", "trigger-value: pg-test-1", "http://10.10.10.10:2379");
        assertThat(edge.units()).containsExactly("pgha-vip.service", "pgha-haproxy.service", "haproxy.service");
    }

    @Test
    void anEmptyDatabaseGetsEveryRoleAndDatabaseAndPasswordsAreMasked() {
        PgCluster c = INV.clusters().get("pg-test");
        SqlPlan sql = new SqlPlan(c, INV.settings(), "10.10.10.11", new Redaction(SqlPlan.secrets(c, INV.settings())));
        List<Change> plan = sql.plan(DbState.parse(""));
        assertThat(plan).extracting(Change::summary).contains("create role dbrole_readonly", "create role dbrole_admin",
                "create role dbuser_dba", "create role dbuser_test", "grant dbrole_admin to dbuser_test",
                "comment on role dbuser_test", "create database test", "comment on database test");
        assertThat(plan).extracting(Change::summary).filteredOn(s -> s.startsWith("create database"))
                .hasSize(1);
        for (Change ch : plan) {
            Change.RunCommand s = (Change.RunCommand) ch;
            assertThat(s.shown()).doesNotContain("DBUser.");
        }
        assertThat(((Change.RunCommand) plan.stream().filter(x -> x.summary().equals("create role dbuser_test")).findFirst().orElseThrow())
                .input()).contains("PASSWORD 'DBUser.Test'");
    }

    @Test
    void aDatabaseHoldingItAllNeedsNothingAndAChangedAttributeIsOneAlter() {
        PgCluster c = INV.clusters().get("pg-test");
        SqlPlan sql = new SqlPlan(c, INV.settings(), "10.10.10.11", new Redaction(List.of()));
        String row = String.join(DbState.FIELD, "R", "dbuser_test", "false", "true", "false", "false", "true", "false", "false", "-1", "", TEST_VERIFIER,
                "dbrole_admin", "owner of the test database");
        assertThat(sql.plan(DbState.parse(row + DbState.RECORD)))
                .extracting(Change::summary).noneMatch(s -> s.contains("dbuser_test"));
        String superuser = row.replaceFirst(DbState.FIELD + "false" + DbState.FIELD, DbState.FIELD + "true" + DbState.FIELD);
        assertThat(sql.plan(DbState.parse(superuser + DbState.RECORD))).extracting(Change::summary)
                .filteredOn(s -> s.contains("dbuser_test")).containsExactly("alter role dbuser_test: NOSUPERUSER");
        String otherPassword = row.replace(TEST_VERIFIER, TEST_VERIFIER.replace("qIMF", "AAAA"));
        assertThat(sql.plan(DbState.parse(otherPassword + DbState.RECORD))).extracting(Change::summary)
                .filteredOn(s -> s.contains("dbuser_test")).containsExactly("set the password of dbuser_test");
    }

    @Test
    void scramVerifiersAreCheckedNotDecoded() {
        assertThat(Scram.matches("DBUser.Test", TEST_VERIFIER)).isTrue();
        assertThat(Scram.matches("DBUser.Tesx", TEST_VERIFIER)).isFalse();
        assertThat(Scram.matches("DBUser.Test", "md5abc")).isFalse();
        assertThat(Scram.matches("DBUser.Test", "")).isFalse();
    }

    /** pg-test with a delayed replica, and pg-delay: Pigsty's delayed standby cluster of pg-test (pg_upstream and pg_delay on its primary). */
    static Inventory withStandbyCluster() throws java.io.IOException {
        String yaml = java.nio.file.Files.readString(SANDBOX)
                .replace("10.10.10.12: { pg_seq: 2, pg_role: replica }", "10.10.10.12: { pg_seq: 2, pg_role: replica, pg_delay: 10min }")
                .replace("    # A PostgreSQL cluster: the group name", """
                            pg-delay:
                              hosts:
                                10.10.10.14: { pg_seq: 1, pg_role: primary, pg_upstream: 10.10.10.11, pg_delay: 1h }
                                10.10.10.15: { pg_seq: 2, pg_role: replica }
                              vars:
                                pg_cluster: pg-delay
                                pg_version: 15

                        # A PostgreSQL cluster: the group name""");
        return InventoryReader.parse(yaml, "standby.yml");
    }

    @Test
    void aPrimaryWithPgUpstreamLeadsADelayedStandbyClusterAndADelayedReplicaNeverFailsOver() throws Exception {
        List<Step> steps = new ClusterSteps(withStandbyCluster(), "standby.yml", "pgha=0.1.0~SNAPSHOT-1", Duration.ofMinutes(1)).steps(Optional.empty());
        assertThat(steps).extracting(Step::name).contains("pg-delay primary", "pg-delay replicas", "pg-delay vip and haproxy")
                .as("a standby cluster is read-only: its roles and databases come from pg-test").doesNotContain("pg-delay users and databases");
        Step standbyLeader = steps.stream().filter(s -> s.name().equals("pg-delay primary")).findFirst().orElseThrow();
        assertThat(((Step.HostStep) standbyLeader).checks()).extracting(Step.HealthCheck::command).containsExactly(
                "curl -fsS -o /dev/null --max-time 3 http://10.10.10.14:8008/standby-leader");
        for (HostDesired h : hostsOf(standbyLeader)) {
            PghaConfig c = PghaConfig.parse(file(h, ClusterSteps.PGHA_YML).content(), envOf(file(h, ClusterSteps.PGHA_ENV).content()));
            assertThat(c.bootstrapDcs().standbyCluster()).hasValueSatisfying(sc -> {
                assertThat(sc.hosts()).containsExactly("10.10.10.11");
                assertThat(sc.ports()).containsExactly(5432);
                assertThat(sc.recoveryMinApplyDelay()).contains("3600s");
            });
        }
        HostDesired delayed = hostsOf(steps.stream().filter(s -> s.name().equals("pg-test replicas")).findFirst().orElseThrow()).get(0);
        PghaConfig replica = PghaConfig.parse(file(delayed, ClusterSteps.PGHA_YML).content(), envOf(file(delayed, ClusterSteps.PGHA_ENV).content()));
        assertThat(replica.postgresql().parameters()).containsEntry("recovery_min_apply_delay", "600s");
        assertThat(file(delayed, ClusterSteps.PGHA_YML).content()).contains("nofailover: true");
        assertThat(replica.bootstrapDcs().standbyCluster()).isEmpty();
    }

    static List<HostDesired> hostsOf(Step... steps) {
        return Arrays.stream(steps).flatMap(s -> ((Step.HostStep) s).hosts().stream()).toList();
    }

    static DesiredFile file(HostDesired h, String path) {
        return h.files().stream().filter(f -> f.path().equals(path)).findFirst().orElseThrow();
    }

    static Map<String, String> envOf(String env) {
        Map<String, String> m = new HashMap<>();
        env.lines().filter(l -> !l.startsWith("#") && l.contains("=")).forEach(l -> m.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        return m;
    }

}
