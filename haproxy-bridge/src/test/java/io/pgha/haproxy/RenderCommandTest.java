package io.pgha.haproxy;

import io.pgha.dcs.MemberSession;
import io.pgha.dcs.consul.ConsulDcs;
import io.pgha.dcs.consul.ConsulSettings;
import io.pgha.dcs.etcd.EtcdDcs;
import io.pgha.dcs.etcd.EtcdSettings;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.haproxy.cli.HaproxyCommand;
import io.pgha.launch.EtcdCluster;
import io.pgha.launch.Ports;
import io.pgha.testing.consul.ConsulDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code pgha haproxy render}: exit codes and messages an operator sees. */
class RenderCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {
    }

    static Run pgha(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new HaproxyCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    Path pghaYml(String etcdHosts, String haproxySection) throws Exception {
        Path f = dir.resolve("pgha.yml");
        Files.writeString(f, """
                scope: pg-test
                name: n1
                restapi: {connect_address: 127.0.0.1:8008}
                etcd3: {hosts: [%s]}
                bootstrap: {dcs: {rto: fast}}
                postgresql:
                  connect_address: 127.0.0.1:5432
                  data_dir: /pg/data
                  authentication: {superuser: {username: postgres, password: x}, replication: {username: replicator, password: y}}
                haproxy:
                %s
                """.formatted(etcdHosts, haproxySection.indent(2)));
        return f;
    }

    @Test
    void writesACheckedConfigWithEveryMemberFromTheDcs() throws Exception {
        try (EtcdCluster etcd = EtcdCluster.start(1);
             EtcdDcs dcs = new EtcdDcs(new KeyLayout("/service", "pg-test"), EtcdSettings.plain(etcd.clientUrls(), Duration.ofSeconds(2)));
             MemberSession n1 = dcs.openSession("n1", 30);
             MemberSession n2 = dcs.openSession("n2", 30)) {
            n1.publish(Members.data("n1", "127.0.0.1", 5432, 8008, "", "primary"));
            n2.publish(Members.data("n2", "127.0.0.2", 5432, 8008, "{\"offline\":true}", "replica"));
            assertThat(n1.acquireLeader()).isTrue();
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(dir.resolve("state"), "1\n");
            Run r = pgha("render", "-c", pghaYml(etcd.hosts(), "state_file: " + dir.resolve("state") + "\nmaxconn: 4000").toString(),
                    "-o", cfg.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).startsWith("wrote " + cfg + ": 2 member(s), leader n1, services primary:5433 replica:5434 default:5436 offline:5438");
            assertThat(Files.readString(cfg)).contains("# members: n1 (leader), n2",
                    "inter 1s fastinter 500ms downinter 1s rise 2 fall 2", // the cluster's rto: fast
                    "listen pg-test-offline", "    server n2 127.0.0.2:5432 check port 8008 weight 100\n");
        }
    }

    @Test
    void rendersFromAClusterKeptInConsul() throws Exception {
        try (ConsulDouble consul = ConsulDouble.start();
             ConsulDcs dcs = new ConsulDcs(new KeyLayout("/service", "pg-test"),
                     ConsulSettings.plain(consul.hostPort(), Optional.empty(), Duration.ofSeconds(2)));
             MemberSession n1 = dcs.openSession("n1", 30)) {
            n1.publish(Members.data("n1", "127.0.0.1", 5432, 8008, "", "primary"));
            assertThat(n1.acquireLeader()).isTrue();
            Path yml = pghaYml("127.0.0.1:2379", "");
            Files.writeString(yml, Files.readString(yml).replace("etcd3: {hosts: [127.0.0.1:2379]}", "consul: {host: " + consul.hostPort() + "}")
                    .replace("rto: fast", "rto: fast, ttl: 10"));
            Path cfg = dir.resolve("haproxy.cfg");
            Run r = pgha("render", "-c", yml.toString(), "-o", cfg.toString());
            assertThat(r.code()).as(r.err()).isZero();
            assertThat(r.out()).startsWith("wrote " + cfg + ": 1 member(s), leader n1");
            assertThat(Files.readString(cfg)).contains("# members: n1 (leader)");
        }
    }

    @Test
    void aBadHaproxySectionIsRefusedWithEveryProblemAndExitCode1() throws Exception {
        Run r = pgha("render", "-c", pghaYml("127.0.0.1:2379", "services: [{name: primary, port: 0, selector: everyone}]").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("is invalid:", "haproxy.services[0].port: must be between 1 and 65535 (got 0)",
                "haproxy.services[0].selector: cannot read \"everyone\" at position 1: unknown term \"everyone\"");
    }

    @Test
    void anUnreachableDcsIsNamedAndExitCode1() throws Exception {
        Run r = pgha("render", "-c", pghaYml("127.0.0.1:" + Ports.free(), "").toString(), "-o", dir.resolve("out.cfg").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("pgha haproxy render: cannot read cluster pg-test from etcd");
        assertThat(dir.resolve("out.cfg")).doesNotExist();
    }

    @Test
    void withoutConfigOrSubcommandItIsAUsageError() {
        Run r = pgha();
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("give -c pgha.yml to run the bridge, or a subcommand: run, render");
    }
}
