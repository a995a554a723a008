package io.pgha.config;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BadFilesTest {

    @Test
    void missingRequiredValues() {
        assertThat(Fixture.minimal().remove("scope").remove("name").remove("restapi.connect_address")
                .remove("postgresql.data_dir").remove("postgresql.connect_address").problems())
                .containsExactly(
                        "scope: required (or set PGHA_SCOPE)",
                        "name: required (or set PGHA_NAME)",
                        "restapi.connect_address: required",
                        "postgresql.connect_address: required",
                        "postgresql.data_dir: required");
    }

    @Test
    void missingSectionsReportTheRequiredKeysInside() {
        assertThat(Fixture.problems("scope: demo\nname: n1\netcd3: {host: 'e:2379'}\n")).containsExactly(
                "restapi.connect_address: required",
                "postgresql.connect_address: required",
                "postgresql.data_dir: required",
                "postgresql.authentication.superuser.password: required (or set PGHA_SUPERUSER_PASSWORD)",
                "postgresql.authentication.replication.password: required (or set PGHA_REPLICATION_PASSWORD)");
    }

    @Test
    void wrongTypes() {
        assertThat(Fixture.minimal()
                .set("scope", 15)
                .set("restapi.listen", 8008)
                .set("postgresql.use_pg_rewind", "sometimes")
                .set("postgresql.pg_ctl_timeout", "1m")
                .set("postgresql.pg_hba", "host all all 0.0.0.0/0 md5")
                .set("postgresql.authentication.superuser.password", List.of("x"))
                .set("tags.failover_priority", 1.5)
                .set("bootstrap.dcs.synchronous_node_count", 0)
                .problems())
                .containsExactly(
                        "scope: expected a string, got 15 (quote it to use it as text)",
                        "restapi.listen: expected host:port, got 8008",
                        "bootstrap.dcs.synchronous_node_count: must be ≥ 1 (got 0)",
                        "postgresql.authentication.superuser.password: expected a string, got a list",
                        "postgresql.pg_hba: expected a list, got \"host all all 0.0.0.0/0 md5\"",
                        "postgresql.use_pg_rewind: expected true or false, got \"sometimes\"",
                        "postgresql.pg_ctl_timeout: expected a number of seconds, got \"1m\"",
                        "tags.failover_priority: expected an integer, got 1.5");
    }

    @Test
    void badHostPort() {
        assertThat(Fixture.minimal()
                .set("restapi.listen", "8008x")
                .set("restapi.connect_address", "10.0.0.1:70000")
                .remove("etcd3.host").set("etcd3.hosts", List.of("127.0.0.1:2379", "foo", ":2379"))
                .set("postgresql.connect_address", "::1:5432")
                .problems())
                .containsExactly(
                        "restapi.listen: expected host:port, got \"8008x\"",
                        "restapi.connect_address: expected host:port, got \"10.0.0.1:70000\"",
                        "etcd3.hosts[1]: expected host:port, got \"foo\"",
                        "etcd3.hosts[2]: expected host:port, got \":2379\"",
                        "postgresql.connect_address: expected host:port, got \"::1:5432\"");
    }

    @Test
    void badCommaSeparatedHostsNameTheItem() {
        assertThat(Fixture.minimal().remove("etcd3.host").set("etcd3.hosts", "a:2379,,b").problems())
                .containsExactly("etcd3.hosts[1]: must not be empty", "etcd3.hosts[2]: expected host:port, got \"b\"");
    }

    @Test
    void badEnums() {
        assertThat(Fixture.minimal()
                .set("watchdog.mode", "sometimes")
                .set("etcd3.protocol", "ftp")
                .set("bootstrap.dcs.rto", "quick")
                .set("bootstrap.dcs.synchronous_mode", "maybe")
                .problems())
                .containsExactly(
                        "etcd3.protocol: expected one of http, https, got \"ftp\"",
                        "bootstrap.dcs.rto: expected one of fast, norm, safe, got \"quick\"",
                        "bootstrap.dcs.synchronous_mode: expected false, true, on or quorum, got \"maybe\"",
                        "watchdog.mode: expected one of off, automatic, required, got \"sometimes\"");
    }

    @Test
    void nonStringEnumValuesListTheChoices() {
        assertThat(Fixture.minimal().set("etcd3.protocol", 5).set("bootstrap.dcs.rto", true).problems())
                .containsExactly(
                        "etcd3.protocol: expected one of http, https, got 5",
                        "bootstrap.dcs.rto: expected one of fast, norm, safe, got true");
    }

    @Test
    void restapiKeyfileNeedsCertfile() {
        assertThat(Fixture.minimal().set("restapi.keyfile", "/k.pem").problems())
                .containsExactly("restapi.certfile: required together with keyfile");
    }

    @Test
    void watchdogModeTrueIsAmbiguous() {
        assertThat(Fixture.problems(Fixture.text("minimal.yml") + "watchdog: {mode: on}\n")).containsExactly(
                "watchdog.mode: expected one of off, automatic, required, got true (true is ambiguous: write automatic or required)");
    }

    @Test
    void unknownKeysWithAndWithoutSuggestion() {
        assertThat(Fixture.minimal()
                .set("postgresql.data_dri", "/data")
                .set("restapi.conect_address", "x:1")
                .set("postgresql.callbacks.on_strat", "/bin/true")
                .set("wachdog", Map.of("mode", "off"))
                .set("postgresql.authentication.superuser.pasword", "x")
                .set("etcd3.frobnicate", 1)
                .problems())
                .containsExactly(
                        "wachdog: unknown key (did you mean watchdog?)",
                        "restapi.conect_address: unknown key (did you mean connect_address?)",
                        "etcd3.frobnicate: unknown key (expected one of: host, hosts, protocol, username, password, cacert, cert, key)",
                        "postgresql.data_dri: unknown key (did you mean data_dir?)",
                        "postgresql.authentication.superuser.pasword: unknown key (did you mean password?)",
                        "postgresql.callbacks.on_strat: unknown key (did you mean on_start?)");
    }

    @Test
    void unsupportedPatroniSections() {
        assertThat(Fixture.minimal()
                .set("kubernetes", Map.of("namespace", "default"))
                .set("log", Map.of("level", "INFO"))
                .set("citus", Map.of("group", 0))
                .set("zookeeper", Map.of("hosts", List.of("z:2181")))
                .set("exhibitor", Map.of())
                .set("raft", Map.of())
                .set("etcd", Map.of("host", "127.0.0.1:2379"))
                .set("postgresql.pg_ident", List.of())
                .set("restapi.keyfile_password", "secret")
                .set("bootstrap.method", "wal_e")
                .problems())
                .containsExactly(
                        "kubernetes: not supported by pgha",
                        "log: not supported by pgha",
                        "citus: not supported by pgha",
                        "zookeeper: not supported by pgha",
                        "exhibitor: not supported by pgha",
                        "raft: not supported by pgha",
                        "etcd: not supported by pgha (pgha speaks etcd v3: use etcd3)",
                        "restapi.keyfile_password: not supported by pgha",
                        "bootstrap.method: not supported by pgha",
                        "postgresql.pg_ident: not supported by pgha");
    }

    @Test
    void bothOrNeitherDcs() {
        assertThat(Fixture.minimal().set("consul.host", "127.0.0.1:8500").problems())
                .containsExactly("consul: cannot be combined with etcd3: configure exactly one of etcd3 or consul");
        assertThat(Fixture.minimal().remove("etcd3").problems())
                .containsExactly("etcd3: required: configure exactly one of etcd3 or consul");
    }

    @Test
    void consulKeysAreCheckedByName() {
        assertThat(Fixture.minimal().remove("etcd3").set("consul.host", "127.0.0.1:8500").set("consul.url", "http://a:8500")
                .set("consul.consistency", "eventual").set("consul.cert", "/c.pem").set("consul.service_check_interval", "soon")
                .set("consul.checks", "serfHealth").problems())
                .containsExactlyInAnyOrder(
                        "consul.url: give either host or url, not both",
                        "consul.consistency: expected one of default, consistent, stale, got \"eventual\"",
                        "consul.key: required together with cert",
                        "consul.scheme: is http, but cacert/cert are given; use https",
                        "consul.service_check_interval: expected a positive duration such as 5s or 500ms, got \"soon\"",
                        "consul.checks: expected a list, got \"serfHealth\"");
        assertThat(Fixture.minimal().remove("etcd3").set("consul.host", "127.0.0.1:8500").set("bootstrap.dcs.ttl", 9).problems())
                .containsExactly("bootstrap.dcs.ttl: must be ≥ 10 with consul: Consul refuses session TTLs below 10 s (got 9 s)");
        assertThat(Fixture.minimal().remove("etcd3").set("consul.url", "consul:8500").problems())
                .containsExactly("consul.url: expected http(s)://host:port, got \"consul:8500\"");
    }

    @Test
    void etcdHostAndHosts() {
        assertThat(Fixture.minimal().set("etcd3.hosts", "a:1").problems())
                .containsExactly("etcd3.host: give either host or hosts, not both");
        assertThat(Fixture.minimal().remove("etcd3.host").set("etcd3.protocol", "http").problems())
                .containsExactly("etcd3.hosts: required (or host)");
        assertThat(Fixture.minimal().remove("etcd3.host").set("etcd3.hosts", List.of()).problems())
                .containsExactly("etcd3.hosts: must list at least one host:port");
    }

    @Test
    void halfPairsAndTlsMismatch() {
        assertThat(Fixture.minimal()
                .set("restapi.authentication.username", "api")
                .set("etcd3.password", "p")
                .set("etcd3.cert", "/c.pem")
                .set("etcd3.protocol", "http")
                .problems())
                .containsExactly(
                        "restapi.authentication.password: required together with username",
                        "etcd3.username: required together with password",
                        "etcd3.key: required together with cert",
                        "etcd3.protocol: is http, but cacert/cert are given; use https");
    }

    @Test
    void nofailoverWithFailoverPriorityIsAConflict() {
        assertThat(Fixture.minimal().set("tags.nofailover", true).set("tags.failover_priority", 3).problems())
                .containsExactly("tags.failover_priority: conflicts with tags.nofailover: true (nofailover means priority 0); remove one of them");
        // Priority 0 says the same thing as nofailover: no conflict.
        assertThat(Fixture.minimal().set("tags.nofailover", true).set("tags.failover_priority", 0).parse().tags().canFailover())
                .isFalse();
    }

    @Test
    void bootstrapDcsKeepsPatroniKeysButRefusesTypos() {
        assertThat(Fixture.minimal()
                .set("bootstrap.dcs.retry_timout", 3)
                .set("bootstrap.dcs.postgresql.use_pg_rewnd", true)
                .set("bootstrap.dcs.max_timelines_history", 10)
                .problems())
                .containsExactly(
                        "bootstrap.dcs.retry_timout: unknown key (did you mean retry_timeout?)",
                        "bootstrap.dcs.postgresql.use_pg_rewnd: unknown key (did you mean use_pg_rewind?)");
    }

    @Test
    void aStandbyClusterIsReadAndItsMistakesNamed() {
        PghaConfig ok = Fixture.minimal().set("bootstrap.dcs.standby_cluster.host", "10.0.0.9, 10.0.0.10")
                .set("bootstrap.dcs.standby_cluster.recovery_min_apply_delay", "1h").parse();
        assertThat(ok.bootstrapDcs().standbyCluster()).hasValueSatisfying(sc -> {
            assertThat(sc.hosts()).containsExactly("10.0.0.9", "10.0.0.10");
            assertThat(sc.ports()).containsExactly(5432);
            assertThat(sc.recoveryMinApplyDelay()).contains("1h");
        });
        assertThat(Fixture.minimal()
                .set("bootstrap.dcs.standby_cluster.hots", "10.0.0.9")
                .set("bootstrap.dcs.standby_cluster.recovery_min_apply_delay", "an hour")
                .problems())
                .containsExactly(
                        "bootstrap.dcs.standby_cluster.hots: unknown key in standby_cluster (did you mean host?)",
                        "bootstrap.dcs.standby_cluster: a standby cluster needs host (the remote primary) or restore_command (an archive) to replicate from",
                        "bootstrap.dcs.standby_cluster.recovery_min_apply_delay: expected a delay like 1h, 30min, 5s or 500ms (a bare number is ms), got \"an hour\"");
    }

    @Test
    void misspeltTagIsNotTakenAsACustomTag() {
        assertThat(Fixture.minimal().set("tags.nofailvoer", true).set("tags.zone", "a").problems())
                .containsExactly("tags.nofailvoer: unknown tag (did you mean nofailover?); rename it if it is a custom tag");
    }

    @Test
    void negativePriorityAndBadCustomTag() {
        assertThat(Fixture.minimal().set("tags.sync_priority", -1).set("tags.zone", List.of("a")).problems())
                .containsExactly("tags.sync_priority: must be ≥ 0 (got -1)",
                        "tags.zone: custom tags take a string, number or boolean, got a list");
    }

    @Test
    void pathsAndNames() {
        assertThat(Fixture.minimal()
                .set("name", "a/b")
                .set("postgresql.data_dir", "data")
                .set("watchdog.device", "watchdog0")
                .problems())
                .containsExactly(
                        "name: must not contain '/', got \"a/b\"",
                        "postgresql.data_dir: must be an absolute path, got \"data\"",
                        "watchdog.device: must be an absolute path, got \"watchdog0\"");
    }

    @Test
    void postgresqlDetails() {
        assertThat(Fixture.minimal()
                .set("postgresql.parameters", Map.of("max connections", 100))
                .set("postgresql.initdb", List.of("pgdata", Map.of("encoding", "UTF8", "locale", "C"), "--no-sync"))
                .set("postgresql.create_replica_methods", List.of("wal_e"))
                .set("postgresql.pg_ctl_timeout", 0)
                .set("bootstrap.initdb", List.of("data-checksums"))
                .set("restapi.allowlist", List.of("10.0.0.0/33", "not an address"))
                .problems())
                .containsExactly(
                        "restapi.allowlist[0]: expected an IP address, CIDR network or host name, got \"10.0.0.0/33\"",
                        "restapi.allowlist[1]: expected an IP address, CIDR network or host name, got \"not an address\"",
                        "postgresql.parameters.max connections: not a valid parameter name",
                        "postgresql.pg_ctl_timeout: must be > 0 (got 0)",
                        "bootstrap.initdb: also given as postgresql.initdb; keep one",
                        "postgresql.initdb[0]: pgdata is set by pgha and may not be given",
                        "postgresql.initdb[1]: expected one option per item, like {encoding: UTF8}, got 2 keys",
                        "postgresql.initdb[2]: expected an initdb long option name like data-checksums, got \"--no-sync\"",
                        "postgresql.create_replica_methods[0]: wal_e is not supported by pgha (basebackup or pgbackrest)");
    }

    @Test
    void everyProblemIsReportedInOnePassOneLineEach() {
        String yaml = Fixture.minimal()
                .set("postgresql.data_dri", "/x").remove("postgresql.data_dir")
                .set("restapi.listen", "8008x")
                .set("tags.nofailover", "yes please")
                .set("bootstrap.dcs.ttl", 1)
                .yaml();
        assertThatThrownBy(() -> PghaConfig.parse(yaml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(String.join("\n",
                        "restapi.listen: expected host:port, got \"8008x\"",
                        "postgresql.data_dri: unknown key (did you mean data_dir?)",
                        "postgresql.data_dir: required",
                        "tags.nofailover: expected true or false, got \"yes please\"",
                        "bootstrap.dcs.ttl: must be ≥ 2, the shortest lease etcd grants with its default 1 s election timeout (got 1)",
                        "bootstrap.dcs.ttl: must be ≥ loop_wait + 2*retry_timeout (2 + 2*3 > 1)",
                        "bootstrap.dcs.safety_margin: must be < ttl - loop_wait, so the leader renews at least once before it fences (2 ≥ 1 - 2)"));
    }

    @Test
    void duplicateKeysAreRefused() {
        List<String> problems = Fixture.problems(Fixture.text("minimal.yml") + "name: node2\n");
        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).startsWith("(file): YAML syntax error at line ").contains("found duplicate key name");
    }
}
