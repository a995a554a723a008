package io.pgha.config;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class GoodFilesTest {

    @Test
    void fullPatroniStyleFileReadsEverySection() {
        PghaConfig c = PghaConfig.load(Fixture.path("full.yml"), Map.of());

        assertThat(c.scope()).isEqualTo("pg-meta");
        assertThat(c.namespace()).isEqualTo("/service");
        assertThat(c.name()).isEqualTo("pg-meta-1");

        RestApiConfig api = c.restapi();
        assertThat(api.listen()).isEqualTo(new HostPort("0.0.0.0", 8008));
        assertThat(api.connectAddress()).isEqualTo(new HostPort("10.10.10.10", 8008));
        assertThat(api.authentication()).contains(new Credentials("postgres", "Patroni.API-secret"));
        assertThat(api.allowlist()).containsExactly("10.10.10.0/24", "127.0.0.1", "::1", "fd00::/8", "monitor.example.com");
        assertThat(api.certfile()).contains(Path.of("/pg/cert/server.crt"));
        assertThat(api.keyfile()).contains(Path.of("/pg/cert/server.key"));
        assertThat(api.cafile()).contains(Path.of("/pg/cert/ca.crt"));

        Etcd3Config etcd = c.etcd3().orElseThrow();
        assertThat(c.consul()).isEmpty();
        assertThat(etcd.endpoints()).containsExactly(URI.create("https://10.10.10.10:2379"),
                URI.create("https://10.10.10.11:2379"), URI.create("https://10.10.10.12:2379"));
        assertThat(etcd.credentials()).contains(new Credentials("pg-meta", "etcd-secret"));
        assertThat(etcd.cacert()).contains(Path.of("/pg/cert/ca.crt"));
        assertThat(etcd.cert()).contains(Path.of("/pg/cert/server.crt"));
        assertThat(etcd.key()).contains(Path.of("/pg/cert/server.key"));

        DynamicConfig dcs = c.bootstrapDcs();
        assertThat(dcs.rto()).isEqualTo(RtoPreset.NORM);
        assertThat(dcs.ttl()).contains(Duration.ofSeconds(10));
        assertThat(dcs.primaryStopTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(dcs.checkTimeline()).isTrue();
        assertThat(dcs.synchronousMode()).isEqualTo(SynchronousMode.QUORUM);
        assertThat(dcs.synchronousNodeCount()).isEqualTo(2);
        assertThat(dcs.failsafeMode()).isTrue();
        assertThat(dcs.memberSlotsTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(dcs.extra()).containsOnlyKeys("max_timelines_history", "slots");
        assertThat(dcs.postgresql().usePgRewind()).contains(true);
        assertThat(dcs.postgresql().parameters()).containsExactly(entry("max_connections", "500"),
                entry("wal_log_hints", "on"), entry("checkpoint_completion_target", "0.9"), entry("max_wal_size", "4GB"));
        assertThat(dcs.postgresql().extra()).containsOnlyKeys("pg_hba");

        Timing t = c.bootstrapTiming();
        assertThat(t).isEqualTo(new Timing(Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(2), Duration.ofSeconds(15)));
        assertThat(etcd.credentials().map(Credentials::password)).contains("etcd-secret");

        PostgresqlConfig pg = c.postgresql();
        assertThat(pg.listen()).isEqualTo(new HostPort("0.0.0.0", 5432));
        assertThat(pg.connectAddress()).isEqualTo(new HostPort("10.10.10.10", 5432));
        assertThat(pg.dataDir()).isEqualTo(Path.of("/pg/data"));
        assertThat(pg.binDir()).isEqualTo(Path.of("/usr/pgsql/bin"));
        assertThat(pg.pgpass()).contains(Path.of("/pg/tmp/pgpass"));
        assertThat(pg.authentication().superuser()).isEqualTo(new Credentials("dbuser_dba", "DBUser.DBA-secret"));
        assertThat(pg.authentication().replication()).isEqualTo(new Credentials("replicator", "DBUser.Replicator-secret"));
        assertThat(pg.authentication().rewind()).contains(new Credentials("dbuser_rewind", "DBUser.Rewind-secret"));
        assertThat(pg.parameters()).containsExactly(entry("shared_buffers", "4GB"), entry("max_connections", "500"),
                entry("hot_standby", "on"), entry("random_page_cost", "1.1"), entry("pg_stat_statements.max", "10000"));
        assertThat(pg.pgHba()).containsExactly("local all postgres peer", "host all all 0.0.0.0/0 scram-sha-256");
        assertThat(pg.callbacks()).containsOnlyKeys(CallbackEvent.values());
        assertThat(pg.callbacks()).containsEntry(CallbackEvent.ON_ROLE_CHANGE, "/pg/bin/pg-role-change");
        assertThat(pg.usePgRewind()).isTrue();
        assertThat(pg.removeDataDirectoryOnRewindFailure()).isTrue();
        assertThat(pg.pgCtlTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(pg.initdb()).extracting(InitdbOption::toArgument)
                .containsExactly("--data-checksums", "--encoding=UTF8", "--locale=C.UTF-8", "--wal-segsize=16");
        assertThat(pg.createReplicaMethods()).containsExactly("basebackup");

        assertThat(c.watchdog()).isEqualTo(new WatchdogConfig(WatchdogMode.AUTOMATIC, Path.of("/dev/watchdog"),
                Optional.of(Duration.ofSeconds(3))));
        assertThat(c.watchdog().timeout(t)).isEqualTo(Duration.ofSeconds(7));

        Tags tags = c.tags();
        assertThat(tags.failoverPriority()).contains(2);
        assertThat(tags.canFailover()).isTrue();
        assertThat(tags.syncPriority()).contains(1);
        assertThat(tags.clonefrom()).isTrue();
        assertThat(tags.replicatefrom()).contains("pg-meta-2");
        assertThat(tags.custom()).containsExactly(entry("datacenter", "dc1"), entry("rack", 7));
        assertThat(tags.toMemberTags()).containsExactly(entry("failover_priority", 2), entry("sync_priority", 1),
                entry("clonefrom", true), entry("replicatefrom", "pg-meta-2"), entry("datacenter", "dc1"), entry("rack", 7));

        assertThat(c.vip()).containsExactly(entry("address", "10.10.10.2/24"), entry("interface", "eth0"));
        assertThat(c.haproxy()).containsOnlyKeys("admin", "services");
    }

    @Test
    void minimalFileGetsEveryDefault() {
        PghaConfig c = PghaConfig.parse(Fixture.text("minimal.yml"), Map.of());

        assertThat(c.namespace()).isEqualTo("/service");
        assertThat(c.restapi().listen()).isEqualTo(new HostPort("0.0.0.0", 8008));
        assertThat(c.restapi().authentication()).isEmpty();
        assertThat(c.restapi().allowlist()).isEmpty();
        assertThat(c.etcd3().orElseThrow().endpoints()).containsExactly(URI.create("http://127.0.0.1:2379"));
        assertThat(c.etcd3().orElseThrow().credentials()).isEmpty();
        assertThat(c.bootstrapDcs()).isEqualTo(DynamicConfig.defaults());
        assertThat(c.bootstrapTiming()).isEqualTo(RtoPreset.NORM.timing());

        PostgresqlConfig pg = c.postgresql();
        assertThat(pg.listen()).isEqualTo(new HostPort("0.0.0.0", 5432));
        assertThat(pg.binDir()).isEqualTo(Path.of("/usr/lib/postgresql/15/bin"));
        assertThat(pg.pgpass()).isEmpty();
        assertThat(pg.authentication().superuser()).isEqualTo(new Credentials("postgres", "su-secret"));
        assertThat(pg.authentication().replication()).isEqualTo(new Credentials("replicator", "repl-secret"));
        assertThat(pg.authentication().rewind()).isEmpty();
        assertThat(pg.parameters()).isEmpty();
        assertThat(pg.callbacks()).isEmpty();
        assertThat(pg.usePgRewind()).isTrue();
        assertThat(pg.removeDataDirectoryOnRewindFailure()).isFalse();
        assertThat(pg.pgCtlTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(pg.initdb()).extracting(InitdbOption::toArgument)
                .containsExactly("--data-checksums", "--encoding=UTF8", "--locale=C");
        assertThat(pg.createReplicaMethods()).containsExactly("basebackup");

        assertThat(c.watchdog()).isEqualTo(WatchdogConfig.OFF);
        assertThat(c.tags()).isEqualTo(Tags.NONE);
        assertThat(c.tags().canFailover()).isTrue();
        assertThat(c.vip()).isEmpty();
        assertThat(c.haproxy()).isEmpty();
    }

    @Test
    void pigstyShapedFileWithNamespacePg() {
        PghaConfig c = PghaConfig.load(Fixture.path("pigsty.yml"), Map.of());

        assertThat(c.namespace()).isEqualTo("/pg");
        assertThat(c.etcd3().orElseThrow().endpoints()).containsExactly(URI.create("http://10.10.10.10:2379"));
        assertThat(c.bootstrapTiming()).isEqualTo(new Timing(Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(30)));
        // Pigsty writes "mode: off", which YAML 1.1 reads as boolean false.
        assertThat(c.watchdog().mode()).isEqualTo(WatchdogMode.OFF);
        assertThat(c.bootstrapDcs().postgresql().parameters()).containsEntry("track_commit_timestamp", "on")
                .containsEntry("max_locks_per_transaction", "256");
        assertThat(c.bootstrapDcs().postgresql().extra()).containsEntry("remove_data_directory_on_rewind_failure", true);
        assertThat(c.postgresql().callbacks()).containsOnlyKeys(CallbackEvent.ON_START, CallbackEvent.ON_STOP,
                CallbackEvent.ON_RESTART, CallbackEvent.ON_ROLE_CHANGE);
        assertThat(c.tags().clonefrom()).isTrue();
        assertThat(c.tags().custom()).containsExactly(entry("conf", "tiny.yml"), entry("spec", "1C.2G.50G"), entry("version", "15"));
    }

    @Test
    void yaml11BooleansAsPatroniReadsThem() {
        PghaConfig c = Fixture.problemsFree("""
                scope: demo
                name: node1
                restapi: {connect_address: 10.0.0.11:8008}
                etcd3: {host: 127.0.0.1:2379}
                bootstrap:
                  dcs:
                    check_timeline: yes
                    failsafe_mode: on
                    synchronous_mode: on
                    synchronous_mode_strict: no
                    postgresql: {use_slots: off}
                postgresql:
                  connect_address: 10.0.0.11:5432
                  data_dir: /data
                  use_pg_rewind: no
                  parameters: {hot_standby: on, fsync: off, jit: yes}
                  authentication:
                    superuser: {password: a}
                    replication: {password: b}
                watchdog: {mode: off}
                tags: {nofailover: on, noloadbalance: yes}
                """);
        assertThat(c.bootstrapDcs().checkTimeline()).isTrue();
        assertThat(c.bootstrapDcs().failsafeMode()).isTrue();
        assertThat(c.bootstrapDcs().synchronousMode()).isEqualTo(SynchronousMode.ON);
        assertThat(c.bootstrapDcs().synchronousModeStrict()).isFalse();
        assertThat(c.bootstrapDcs().postgresql().useSlots()).isFalse();
        assertThat(c.postgresql().usePgRewind()).isFalse();
        assertThat(c.postgresql().parameters()).containsExactly(entry("hot_standby", "on"), entry("fsync", "off"), entry("jit", "on"));
        assertThat(c.watchdog().mode()).isEqualTo(WatchdogMode.OFF);
        assertThat(c.tags().nofailover()).isTrue();
        assertThat(c.tags().canFailover()).isFalse();
        assertThat(c.tags().noloadbalance()).isTrue();
    }

    @Test
    void etcdHostsAsListOrCommaStringAndIpv6() {
        PghaConfig list = Fixture.minimal().remove("etcd3.host")
                .set("etcd3.hosts", List.of("10.0.0.1:2379", "[fd00::2]:2379")).parse();
        assertThat(list.etcd3().orElseThrow().endpoints())
                .containsExactly(URI.create("http://10.0.0.1:2379"), URI.create("http://[fd00::2]:2379"));

        PghaConfig csv = Fixture.minimal().remove("etcd3.host").set("etcd3.hosts", "a.example:2379 , b.example:2380").parse();
        assertThat(csv.etcd3().orElseThrow().hosts())
                .containsExactly(new HostPort("a.example", 2379), new HostPort("b.example", 2380));
    }

    @Test
    void tlsFilesWithoutProtocolMeanHttps() {
        PghaConfig c = Fixture.minimal().set("etcd3.cacert", "/etc/pgha/ca.pem").parse();
        assertThat(c.etcd3().orElseThrow().endpoints()).containsExactly(URI.create("https://127.0.0.1:2379"));
    }

    @Test
    void consulSectionIsReadInsteadOfEtcd() {
        PghaConfig c = Fixture.minimal().remove("etcd3").set("bootstrap.dcs.ttl", 10).set("consul.token", "consul-secret")
                .set("consul.register_service", true).parse();
        ConsulConfig consul = c.consul().orElseThrow();
        assertThat(c.etcd3()).isEmpty();
        assertThat(consul.host()).isEqualTo(new HostPort("127.0.0.1", 8500));
        assertThat(consul.scheme()).isEqualTo("http");
        assertThat(consul.token()).contains("consul-secret");
        assertThat(consul.registerService()).isTrue();
    }

    @Test
    void consulTakesPatronisKeys() {
        ConsulConfig consul = Fixture.minimal().remove("etcd3").set("bootstrap.dcs.ttl", 10).set("consul.url", "https://consul.local:8501")
                .set("consul.verify", false).set("consul.cacert", "/etc/pgha/ca.pem").set("consul.cert", "/etc/pgha/c.pem")
                .set("consul.key", "/etc/pgha/c.key").set("consul.dc", "dc2").set("consul.consistency", "consistent")
                .set("consul.checks", List.of("serfHealth")).set("consul.service_check_interval", "15s")
                .set("consul.service_tags", List.of("pigsty")).parse().consul().orElseThrow();
        assertThat(consul.agentUri()).isEqualTo(URI.create("https://consul.local:8501"));
        assertThat(consul.verify()).isFalse();
        assertThat(consul.dc()).contains("dc2");
        assertThat(consul.consistency()).isEqualTo("consistent");
        assertThat(consul.checks()).contains(List.of("serfHealth"));
        assertThat(consul.serviceCheckInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(consul.serviceTags()).containsExactly("pigsty");
        assertThat(consul.key()).contains(Path.of("/etc/pgha/c.key"));
    }

    @Test
    void patroniBootstrapInitdbIsAccepted() {
        PghaConfig c = Fixture.minimal().set("bootstrap.initdb", List.of("data-checksums", Map.of("locale", "en_US.UTF-8"))).parse();
        assertThat(c.postgresql().initdb()).extracting(InitdbOption::toArgument)
                .containsExactly("--data-checksums", "--locale=en_US.UTF-8");
    }

    @Test
    void postgresqlListenMayListSeveralAddresses() {
        PghaConfig c = Fixture.minimal().set("postgresql.listen", "10.0.0.11,127.0.0.1:5432").parse();
        assertThat(c.postgresql().listen()).isEqualTo(new HostPort("10.0.0.11,127.0.0.1", 5432));
        assertThat(Fixture.minimal().set("postgresql.listen", "*:5433").parse().postgresql().listen())
                .isEqualTo(new HostPort("*", 5433));
    }

    @Test
    void decimalSecondsAreKept() {
        PghaConfig c = Fixture.minimal().set("bootstrap.dcs.rto", "fast").set("bootstrap.dcs.loop_wait", 0.5).parse();
        assertThat(c.bootstrapTiming().loopWait()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.bootstrapTiming().ttl()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void legacyMasterStartTimeoutIsRead() {
        PghaConfig c = Fixture.minimal().set("bootstrap.dcs.master_start_timeout", 42).parse();
        assertThat(c.bootstrapDcs().primaryStartTimeout()).contains(Duration.ofSeconds(42));
        assertThat(c.bootstrapDcs().extra()).isEmpty();
    }
}
