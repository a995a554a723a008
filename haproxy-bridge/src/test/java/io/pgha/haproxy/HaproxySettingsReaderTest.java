package io.pgha.haproxy;

import io.pgha.config.ConfigException;
import io.pgha.config.ConfigProblem;
import io.pgha.config.PghaConfig;
import io.pgha.haproxy.config.HaproxySettings;
import io.pgha.haproxy.config.HaproxySettingsReader;
import io.pgha.haproxy.service.Destination;
import io.pgha.haproxy.service.Service;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HaproxySettingsReaderTest {
    static final String BASE = """
            scope: pg-test
            name: pg-test-1
            restapi: {connect_address: 10.10.10.11:8008}
            etcd3: {hosts: [10.10.10.10:2379]}
            postgresql:
              connect_address: 10.10.10.11:5432
              data_dir: /pg/data
              authentication: {superuser: {username: postgres, password: x}, replication: {username: replicator, password: y}}
            """;

    static HaproxySettings read(String haproxySection) {
        PghaConfig cfg = PghaConfig.parse(BASE + haproxySection, Map.of());
        return HaproxySettingsReader.read(cfg.haproxy(), cfg.scope());
    }

    static ConfigException problems(String haproxySection) {
        try {
            read(haproxySection);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("expected the haproxy section to be refused");
    }

    @Test
    void withoutASectionTheFourPigstyServicesOnTheirPortsAndDebiansPaths() {
        HaproxySettings s = read("");
        assertThat(s.services()).extracting(Service::name).containsExactly("primary", "replica", "default", "offline");
        assertThat(s.services()).extracting(Service::port).containsExactly(5433, 5434, 5436, 5438);
        assertThat(s.services()).extracting(Service::check).containsExactly("/primary", "/read-only", "/primary", "/replica");
        assertThat(s.services()).extracting(sv -> sv.selector().toString()).containsExactly("*", "*", "*", "tag:offline");
        assertThat(s.services()).extracting(sv -> sv.backup().map(Object::toString).orElse("-"))
                .containsExactly("-", "primary || tag:offline", "-", "replica && !tag:offline");
        assertThat(s.services()).extracting(Service::leaderOnly).containsExactly(true, false, true, false);
        assertThat(s.configFile()).isEqualTo(Path.of("/etc/haproxy/haproxy.cfg"));
        assertThat(s.runtimeSocket()).isEqualTo(Path.of("/run/haproxy/admin.sock"));
        assertThat(s.masterSocket()).isEqualTo(Path.of("/run/haproxy-master.sock"));
        assertThat(s.statsListen()).isEqualTo("*:9101");
        assertThat(s.checkTiming()).isEmpty();
    }

    @Test
    void aDefaultIsChangedKeyByKeyAndNewServicesAreAdded() {
        HaproxySettings s = read("""
                haproxy:
                  bind: 127.0.0.1
                  check_timing: {inter: 3, fastinter: 1, downinter: 5, rise: 3, fall: 3}
                  services:
                    - {name: primary, port: 15433}
                    - {name: replica, dest: pgbouncer, balance: leastconn}
                    - {name: standby, port: 5435, check: /sync, backup: primary, options: ["option tcplog"]}
                """);
        Service primary = s.service("primary").orElseThrow();
        assertThat(primary.port()).isEqualTo(15433);
        assertThat(primary.check()).isEqualTo("/primary");
        Service replica = s.service("replica").orElseThrow();
        assertThat(replica.port()).isEqualTo(5434);
        assertThat(replica.destination()).isEqualTo(new Destination.Port(6432));
        assertThat(replica.balance()).isEqualTo("leastconn");
        assertThat(replica.backup()).isPresent();
        Service standby = s.service("standby").orElseThrow();
        assertThat(standby.selector().toString()).isEqualTo("*");
        assertThat(standby.backup().orElseThrow().toString()).isEqualTo("primary");
        assertThat(standby.options()).containsExactly("option tcplog");
        assertThat(s.checkTiming().orElseThrow().downinter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.bind()).isEqualTo("127.0.0.1");
    }

    @Test
    void defaultServicesCanBeDropped() {
        HaproxySettings s = read("""
                haproxy:
                  default_services: false
                  services: [{name: rw, port: 6000}]
                """);
        assertThat(s.services()).extracting(Service::name).containsExactly("rw");
        assertThat(s.services().get(0).check()).isEqualTo("/primary");
    }

    @Test
    void everyProblemIsNamedByItsPath() {
        ConfigException e = problems("""
                haproxy:
                  runtime_socket: relative.sock
                  stats_listen: 9101
                  check_timing: {inter: 3, fastinter: fast}
                  sevices: []
                  services:
                    - {name: primary, port: 70000}
                    - {name: extra, selector: "prmary || tag:offline"}
                    - {name: "bad name", port: 7000}
                    - {name: replica, dest: pgpool, check: primary, balance: random}
                    - {name: twin, port: 5436}
                    - {name: metrics, port: 9101}
                """);
        assertThat(e.problems()).extracting(ConfigProblem::toString).contains(
                "haproxy.runtime_socket: must be an absolute path, got \"relative.sock\"",
                "haproxy.stats_listen: expected a string, got 9101 (quote it)",
                "haproxy.check_timing.fastinter: expected a number of seconds, got \"fast\"",
                "haproxy.check_timing.rise: required when check_timing is given (all of inter, fastinter, downinter, rise, fall)",
                "haproxy.sevices: unknown key; expected one of config_file, haproxy_bin, runtime_socket, master_socket, state_file, bind, stats_listen, maxconn, slowstart, check_timing, default_services, services, check_ca_file, check_crt, check_verifyhost",
                "haproxy.services[0].port: must be between 1 and 65535 (got 70000)",
                "haproxy.services[1].port: required for a service that is not one of the defaults (primary, replica, default, offline)",
                "haproxy.services[2].name: \"bad name\" cannot name an HAProxy proxy: use letters, digits, '-', '_', '.' or ':'",
                "haproxy.services[3].dest: expected postgres, pgbouncer or a port number, got \"pgpool\"",
                "haproxy.services[3].check: expected a REST path such as /primary, /replica or /read-only, got \"primary\"",
                "haproxy.services: services default and twin both use port 5436",
                "haproxy.services: services stats (stats_listen) and metrics both use port 9101");
        assertThat(e.problems()).anySatisfy(p -> assertThat(p.toString())
                .startsWith("haproxy.services[1].selector: cannot read \"prmary || tag:offline\" at position 1: unknown term \"prmary\""));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p.toString()).startsWith("haproxy.services[3].balance: expected one of"));
    }

    @Test
    void aScopeHaproxyCannotUseIsRefused() {
        assertThatThrownBy(() -> HaproxySettingsReader.read(Map.of(), "pg test"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("scope: \"pg test\" cannot name HAProxy proxies");
    }
}
