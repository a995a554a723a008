package io.pgha.haproxy;

import io.pgha.config.ConfigException;
import io.pgha.config.RtoPreset;
import io.pgha.dcs.model.Member;
import io.pgha.haproxy.config.HaproxySettings;
import io.pgha.haproxy.config.HaproxySettingsReader;
import io.pgha.haproxy.render.ConfigRenderer;
import io.pgha.haproxy.runtime.ConfigCheck;
import io.pgha.haproxy.testing.HaproxyProcess;
import io.pgha.haproxy.topology.MemberEndpoint;
import io.pgha.haproxy.topology.Topology;
import io.pgha.testing.TestCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rendered haproxy.cfg: Pigsty's shape, and HAProxy 2.6's own {@code haproxy -c} accepts it. */
class ConfigRendererTest {
    @TempDir
    Path dir;

    static final List<MemberEndpoint> THREE = List.of(
            endpoint(Members.member("pg-test-1", "10.10.10.11", 5432, 8008, "")),
            endpoint(Members.member("pg-test-2", "10.10.10.12", 5432, 8008, "")),
            endpoint(Members.member("pg-test-3", "10.10.10.13", 5432, 8008, "{\"offline\":true}")));

    static MemberEndpoint endpoint(Member m) {
        return ((MemberEndpoint.Parsed.Usable) MemberEndpoint.of(m)).endpoint();
    }

    HaproxySettings settings(String extra) {
        Map<String, Object> section = new Yaml().load("""
                runtime_socket: %s/admin.sock
                master_socket: %s/master.sock
                state_file: %s/state
                config_file: %s/haproxy.cfg
                %s
                """.formatted(dir, dir, dir, dir, extra));
        return HaproxySettingsReader.read(section, "pg-test");
    }

    @Test
    void defaultServicesInPigstysShapeWithChecksTimingsAndFencing() throws IOException {
        String cfg = ConfigRenderer.render(settings(""), "pg-test", "pg-test-1",
                new Topology(THREE, Optional.of("pg-test-1"), RtoPreset.NORM.haproxy()));
        assertThat(cfg).contains(
                "stats socket " + dir + "/admin.sock mode 600 level admin expose-fd listeners",
                "server-state-file " + dir + "/state",
                "load-server-state-from-file global",
                "timeout client 24h",
                "listen stats\n    bind *:9101\n    mode http",
                "http-request use-service prometheus-exporter if { path /metrics }",
                """
                listen pg-test-primary
                    bind *:5433
                    mode tcp
                    maxconn 5000
                    balance roundrobin
                    option httpchk
                    option http-keep-alive
                    http-check send meth OPTIONS uri /primary
                    http-check expect status 200
                    default-server inter 2s fastinter 1s downinter 2s rise 3 fall 3 on-marked-down shutdown-sessions slowstart 30s maxconn 3000 maxqueue 128 weight 100
                    server pg-test-1 10.10.10.11:5432 check port 8008 weight 100
                    server pg-test-2 10.10.10.12:5432 check port 8008 weight 100
                    server pg-test-3 10.10.10.13:5432 check port 8008 weight 100
                """,
                // replica: the leader and offline members only as backup
                "http-check send meth OPTIONS uri /read-only\n",
                "    server pg-test-1 10.10.10.11:5432 check port 8008 weight 100 backup\n"
                        + "    server pg-test-2 10.10.10.12:5432 check port 8008 weight 100\n"
                        + "    server pg-test-3 10.10.10.13:5432 check port 8008 weight 100 backup\n",
                "listen pg-test-default\n    bind *:5436",
                // offline: the offline member, other replicas as backup, never the leader
                "listen pg-test-offline\n    bind *:5438",
                "http-check send meth OPTIONS uri /replica\n",
                "    server pg-test-2 10.10.10.12:5432 check port 8008 weight 100 backup\n"
                        + "    server pg-test-3 10.10.10.13:5432 check port 8008 weight 100\n\n");
        assertThat(check(cfg)).isInstanceOf(ConfigCheck.Result.Valid.class);
    }

    @Test
    void checksOfAnHttpsRestApiVerifyItsCertificateWhenGivenACa() throws IOException {
        TestCa ca = TestCa.create(dir.resolve("ca"), "rest");
        TestCa.Issued haproxy = ca.issue("haproxy");
        Path pem = dir.resolve("haproxy.pem");
        Files.writeString(pem, Files.readString(haproxy.cert()) + Files.readString(haproxy.key()));
        HaproxySettings s = settings("""
                bind: 127.0.0.1
                stats_listen: 127.0.0.1:19102
                check_ca_file: %s
                check_crt: %s
                services:
                  - {name: primary, port: 15436}
                """.formatted(ca.caCert(), pem));
        List<MemberEndpoint> members = List.of(
                endpoint(Members.member("n1", "postgres://127.0.0.1:5432/postgres", "https://127.0.0.1:8008/patroni", "{}", "primary")));
        String cfg = ConfigRenderer.render(s, "pg-test", "n1", new Topology(members, Optional.of("n1"), RtoPreset.NORM.haproxy()));
        assertThat(cfg).contains("server n1 127.0.0.1:5432 check port 8008 check-ssl verify required ca-file " + ca.caCert() + " crt " + pem
                + " weight 100");
        assertThat(check(cfg)).isInstanceOf(ConfigCheck.Result.Valid.class);
        assertThatThrownBy(() -> settings("check_crt: /x.pem")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("haproxy.check_crt: needs check_ca_file");
    }

    @Test
    void checkVerifyhostNamesTheHostTheApisCertificateMustCarry() throws IOException {
        TestCa ca = TestCa.create(dir.resolve("ca-vh"), "rest");
        List<MemberEndpoint> members = List.of(
                endpoint(Members.member("n1", "postgres://127.0.0.1:5432/postgres", "https://127.0.0.1:8008/patroni", "{}", "primary")));
        for (String[] c : new String[][]{{"pg-test.example.com", "pg-test.example.com"}, {"member", "127.0.0.1"}}) {
            HaproxySettings s = settings("""
                    bind: 127.0.0.1
                    stats_listen: 127.0.0.1:19102
                    check_ca_file: %s
                    check_verifyhost: %s
                    services:
                      - {name: primary, port: 15436}
                    """.formatted(ca.caCert(), c[0]));
            String cfg = ConfigRenderer.render(s, "pg-test", "n1", new Topology(members, Optional.of("n1"), RtoPreset.NORM.haproxy()));
            assertThat(cfg).contains("server n1 127.0.0.1:5432 check port 8008 check-ssl verify required ca-file " + ca.caCert()
                    + " verifyhost " + c[1] + " weight 100");
            assertThat(check(cfg)).isInstanceOf(ConfigCheck.Result.Valid.class);
        }
        assertThatThrownBy(() -> settings("check_verifyhost: pg.example.com")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("haproxy.check_verifyhost: needs check_ca_file");
        assertThatThrownBy(() -> settings("check_ca_file: /ca.crt\ncheck_verifyhost: 'a b'")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("haproxy.check_verifyhost: expected a host name or \"member\", got \"a b\"");
    }

    @Test
    void customServicesPoolerPortsTlsAndIpv6PassHaproxyCheck() throws IOException {
        HaproxySettings s = settings("""
                bind: 127.0.0.1
                stats_listen: 127.0.0.1:19101
                slowstart: 0
                check_timing: {inter: 3, fastinter: 1, downinter: 5, rise: 3, fall: 3}
                services:
                  - {name: primary, port: 15433, dest: pgbouncer}
                  - {name: standby, port: 15435, check: /sync, backup: primary, maxconn: 100, balance: leastconn, options: ["timeout server 1h"]}
                """);
        List<MemberEndpoint> members = List.of(
                endpoint(Members.member("n1", "postgres://[::1]:5432/postgres", "https://127.0.0.1:8008/patroni", "{\"weight\":50}", "primary")),
                endpoint(Members.member("n2", "127.0.0.1", 5433, 8009, "")));
        String cfg = ConfigRenderer.render(s, "pg-test", "n1", new Topology(members, Optional.of("n1"), s.checkTiming().orElseThrow()));
        assertThat(cfg).contains(
                "default-server inter 3s fastinter 1s downinter 5s rise 3 fall 3 on-marked-down shutdown-sessions maxconn 3000",
                "server n1 [::1]:6432 check addr 127.0.0.1 port 8008 check-ssl verify none weight 50",
                "server n2 127.0.0.1:6432 check port 8009 weight 100",
                "    bind 127.0.0.1:15435\n    mode tcp\n    maxconn 100\n    balance leastconn",
                "    timeout server 1h\n    server n1 [::1]:5432 check addr 127.0.0.1 port 8008 check-ssl verify none weight 50 backup\n");
        assertThat(cfg).doesNotContain("slowstart");
        assertThat(check(cfg)).isInstanceOf(ConfigCheck.Result.Valid.class);
    }

    @Test
    void aServiceWithoutMembersIsStillAValidConfig() throws IOException {
        String cfg = ConfigRenderer.render(settings(""), "pg-test", "pg-test-1", new Topology(List.of(), Optional.empty(), RtoPreset.FAST.haproxy()));
        assertThat(cfg).contains("# members: none", "inter 1s fastinter 500ms downinter 1s rise 2 fall 2");
        assertThat(check(cfg)).isInstanceOf(ConfigCheck.Result.Valid.class);
    }

    @Test
    void haproxyCheckRefusesWhatHaproxyWouldRefuse() throws IOException {
        String cfg = ConfigRenderer.render(settings("services: [{name: primary, options: [\"balance nonsense\"]}]"), "pg-test", "pg-test-1",
                new Topology(THREE, Optional.of("pg-test-1"), RtoPreset.NORM.haproxy()));
        assertThat(check(cfg)).isInstanceOfSatisfying(ConfigCheck.Result.Invalid.class,
                i -> assertThat(i.output()).contains("balance only supports"));
    }

    private ConfigCheck.Result check(String cfg) throws IOException {
        Files.writeString(dir.resolve("state"), "1\n");
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, cfg);
        ConfigCheck.Result r = ConfigCheck.check(HaproxyProcess.BINARY, file);
        if (r instanceof ConfigCheck.Result.Valid v) {
            assertThat(v.warnings()).as("haproxy -c warnings").isEmpty();
        }
        return r;
    }
}
