package io.pgha.provision;

import io.pgha.cli.CliRun;
import io.pgha.provision.sandbox.Sandbox;
import io.pgha.provision.sandbox.SandboxSpec;
import io.pgha.provision.transport.SshTransport;
import io.pgha.provision.transport.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * `pgha provision` end to end: Pigsty's sandbox inventory (examples/sandbox.yml, moved to a subnet
 * of its own) applied over real SSH to a sandbox of namespaces with real sshd, etcd, PostgreSQL,
 * HAProxy and the pgha package built by scripts/package.sh. The sandbox has one spare host, as a
 * machine not in the inventory yet. The tests run in order on one sandbox.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProvisionSandboxIT {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final SecureRandom RANDOM = new SecureRandom();

    private static Path scratch;
    private static Path deb;
    private static String prefix;
    private static String name;
    private static Sandbox sandbox;
    private static Path inventory;

    @BeforeAll
    static void packageAndSandbox() throws Exception {
        scratch = Files.createTempDirectory("pgha-provision-it");
        Path out = scratch.resolve("packages");
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("scripts/package.sh").toString()).redirectErrorStream(true)
                .redirectOutput(scratch.resolve("package.log").toFile());
        pb.environment().put("PGHA_JAR", ROOT.resolve("app/target/pgha.jar").toString());
        pb.environment().put("PGHA_PACKAGE_OUT", out.toString());
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(scratch.resolve("package.log"))).isZero();
        try (Stream<Path> s = Files.list(out)) {
            deb = s.filter(f -> f.toString().endsWith("_all.deb")).findFirst().orElseThrow();
        }
        prefix = "10.223." + RANDOM.nextInt(256) + ".";
        name = "pv" + Long.toString(1_000_000 + RANDOM.nextInt(30_000_000), 36);
        List<String> machines = new ArrayList<>();
        for (int i = 10; i <= 14; i++) {
            machines.add(prefix + i); // .10 etcd, .11-.13 pg-test, .14 the spare machine
        }
        sandbox = Sandbox.up(SandboxSpec.of(name, machines));
        inventory = scratch.resolve("sandbox.yml");
        Files.writeString(inventory, Files.readString(ROOT.resolve("examples/sandbox.yml")).replace("10.10.10.", prefix));
    }

    @AfterAll
    static void down() throws IOException {
        try {
            if (name != null) {
                Sandbox.down(name, SandboxSpec.defaultStateDir(name));
                assertThat(SandboxSpec.defaultStateDir(name)).doesNotExist();
            }
        } finally {
            if (scratch != null) {
                try (Stream<Path> s = Files.walk(scratch)) {
                    for (Path f : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(f);
                    }
                }
            }
        }
    }

    @Test
    @Order(1)
    void aBadInventoryIsRefusedWholeAndTouchesNoHost() throws Exception {
        Path bad = scratch.resolve("bad.yml");
        Files.writeString(bad, Files.readString(inventory)
                .replace("pg_seq: 2, pg_role: replica", "pg_seq: 2, pg_role: master")
                .replace("owner: dbuser_test", "owner: dbuser_nobody"));
        CliRun r = apply(bad);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("all.children.pg-test.hosts." + prefix + "12.pg_role: expected primary, replica or offline, got \"master\"")
                .contains("dbuser_nobody").contains("nothing was changed");
        for (String h : List.of(prefix + "10", prefix + "11", prefix + "12", prefix + "13")) {
            try (Transport t = ssh(h)) {
                assertThat(t.read("/etc/pgha/pgha.yml")).as(h).isEmpty();
                assertThat(t.run("dpkg-query -W pgha", Duration.ofSeconds(30)).ok()).as(h + " has no pgha package").isFalse();
            }
        }
    }

    @Test
    @Order(2)
    void applyBuildsAHealthyClusterWithItsVipServicesUsersAndHba() throws Exception {
        long started = System.nanoTime();
        CliRun r = apply(inventory);
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("is the primary", "streams from the primary", "VIP " + prefix + "3", "create database test")
                .doesNotContain("DBUser.");
        System.out.printf("fresh sandbox apply: %.1f s%n", seconds);

        try (Transport primary = ssh(prefix + "11")) {
            assertThat(primary.run("ip -o addr show dev eth1", Duration.ofSeconds(10)).stdout()).contains(prefix + "3/24");
        }
        String vip = prefix + "3";
        assertThat(query(vip, 5433, "dbuser_test", "DBUser.Test", "SELECT pg_is_in_recovery()::text")).isEqualTo("false");
        assertThat(query(vip, 5436, "dbuser_test", "DBUser.Test", "SELECT pg_is_in_recovery()::text")).isEqualTo("false");
        assertThat(query(vip, 5434, "dbuser_test", "DBUser.Test", "SELECT pg_is_in_recovery()::text")).isEqualTo("true");
        assertThat(query(vip, 5438, "dbuser_test", "DBUser.Test", "SELECT host(inet_server_addr())")).isEqualTo(prefix + "13");
        assertThat(query(vip, 5434, "dbuser_view", "DBUser.View", "SELECT current_user")).isEqualTo("dbuser_view");
        assertThatThrownBy(() -> query(vip, 5433, "dbuser_blocked", "DBUser.Blocked", "SELECT 1"))
                .isInstanceOf(SQLException.class).hasMessageContaining("pg_hba.conf rejects connection");
        assertThatThrownBy(() -> query(vip, 5433, "dbuser_test", "wrong", "SELECT 1"))
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");

        // Registered: each member's targets on the infra node answer there, and the DNS records are in etcd.
        try (Transport infra = ssh(prefix + "10")) {
            String targets = new String(infra.read("/etc/prometheus/targets/pgsql/pg-test-2.yml").orElseThrow(), StandardCharsets.UTF_8);
            assertThat(targets).contains("ins: pg-test-2", prefix + "12:8008", prefix + "12:9101");
            for (String target : List.of(prefix + "12:8008", prefix + "12:9101")) {
                assertThat(infra.run("curl -fsS --max-time 5 http://" + target + "/metrics", Duration.ofSeconds(10)).stdout())
                        .as(target + "/metrics").contains("# TYPE");
            }
            assertThat(etcdctl(infra, "get --print-value-only /skydns/pigsty/pg-test")).isEqualTo("{\"host\":\"" + vip + "\",\"cluster\":\"pg-test\"}");
            assertThat(etcdctl(infra, "get --keys-only --prefix /skydns/pigsty/pg-test-primary/").lines().filter(l -> !l.isBlank()))
                    .containsExactly("/skydns/pigsty/pg-test-primary/pg-test-1", "/skydns/pigsty/pg-test-primary/pg-test-2",
                            "/skydns/pigsty/pg-test-primary/pg-test-3");
        }
    }

    @Test
    @Order(3)
    void reapplyingTheSameInventoryChangesNothing() {
        long started = System.nanoTime();
        CliRun r = apply(inventory);
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("0 change(s)");
        System.out.printf("no-op re-apply: %.1f s%n", seconds);
        CliRun check = CliRun.pgha("provision", "plan", "-i", inventory.toString(), "--sandbox", "--sandbox-name", name,
                "--package", deb.toString(), "--check");
        assertThat(check.exit()).as(check.out() + check.err()).isZero();
    }

    @Test
    @Order(4)
    void aChangedUserAndAnAddedReplicaAreTheOnlyChanges() throws Exception {
        String text = Files.readString(inventory)
                .replace("{ name: dbuser_view, password: DBUser.View,", "{ name: dbuser_view, password: DBUser.View, connlimit: 7,")
                .replace("        " + prefix + "13: { pg_seq: 3, pg_role: replica, pg_offline_query: true }",
                        "        " + prefix + "13: { pg_seq: 3, pg_role: replica, pg_offline_query: true }\n"
                                + "        " + prefix + "14: { pg_seq: 4, pg_role: replica }");
        assertThat(text).contains(prefix + "14: { pg_seq: 4").contains("connlimit: 7");
        Files.writeString(inventory, text);

        CliRun plan = CliRun.pgha("provision", "plan", "-i", inventory.toString(), "--sandbox", "--sandbox-name", name,
                "--package", deb.toString(), "--check");
        assertThat(plan.exit()).as(plan.out() + plan.err()).isEqualTo(2);
        for (String unchanged : List.of("12", "13")) {
            assertThat(plan.out()).contains(prefix + unchanged + ": no changes");
        }
        assertThat(plan.out()).contains(prefix + "11: 1 change(s)", "alter role dbuser_view: CONNECTION LIMIT 7");
        // The infra and etcd node: the new member's targets file and its four service records.
        assertThat(plan.out()).contains(prefix + "10: 5 change(s)", "create /etc/prometheus/targets/pgsql/pg-test-4.yml",
                "register DNS record /skydns/pigsty/pg-test-replica/pg-test-4");

        CliRun r = apply(inventory);
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("pg-test-4 streams from the primary");
        assertThat(query(prefix + "3", 5433, "dbuser_test", "DBUser.Test",
                "SELECT rolconnlimit::text FROM pg_roles WHERE rolname = 'dbuser_view'")).isEqualTo("7");
        assertThat(query(prefix + "14", 5432, "dbuser_test", "DBUser.Test", "SELECT pg_is_in_recovery()::text")).isEqualTo("true");
        assertThat(apply(inventory).out()).contains("0 change(s)");
    }

    @Test
    @Order(5)
    void anUnreachableHostIsNamedAndNoOtherHostIsTouched() throws Exception {
        String text = Files.readString(inventory)
                .replace("comment: read-only reporting user", "comment: changed while a host is away");
        text = text.replace("        " + prefix + "14: { pg_seq: 4, pg_role: replica }",
                "        " + prefix + "14: { pg_seq: 4, pg_role: replica }\n        " + prefix + "15: { pg_seq: 5, pg_role: replica }");
        Path away = scratch.resolve("away.yml");
        Files.writeString(away, text);
        CliRun r = apply(away);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(prefix + "15").contains("nothing was changed on any host");
        assertThat(query(prefix + "3", 5433, "dbuser_test", "DBUser.Test",
                "SELECT shobj_description(oid, 'pg_authid') FROM pg_roles WHERE rolname = 'dbuser_view'"))
                .isEqualTo("read-only reporting user");
    }

    @Test
    @Order(6)
    void removingAReplicaAndThenThePrimaryNeverLeavesTheClusterWithoutOne() throws Exception {
        CliRun replica = CliRun.pgha("provision", "remove", "-i", inventory.toString(), "-l", prefix + "14", "--sandbox", "--sandbox-name", name);
        assertThat(replica.exit()).as(replica.out() + replica.err()).isZero();
        assertThat(replica.out()).contains("removed pg-test-4", "member key gone", "data directory /pg/data kept").doesNotContain("switched over");
        try (Transport t = ssh(prefix + "14")) {
            assertThat(t.run("test -d /pg/data/base", Duration.ofSeconds(10)).ok()).as("the data directory is kept").isTrue();
            assertThat(t.run("pgha unit status pgha.service", Duration.ofSeconds(10)).exit()).as("stopped").isEqualTo(3);
        }
        try (Transport infra = ssh(prefix + "10")) {
            assertThat(infra.read("/etc/prometheus/targets/pgsql/pg-test-4.yml")).as("no longer a monitoring target").isEmpty();
            assertThat(etcdctl(infra, "get --keys-only --prefix /skydns/pigsty/").lines().filter(l -> l.endsWith("/pg-test-4")))
                    .as("no DNS record names the removed member").isEmpty();
        }

        CliRun primary = CliRun.pgha("provision", "remove", "-i", inventory.toString(), "-l", prefix + "11", "--sandbox", "--sandbox-name", name);
        assertThat(primary.exit()).as(primary.out() + primary.err()).isZero();
        assertThat(primary.out()).contains("switched over to pg-test-", "removed pg-test-1");
        // The VIP followed the new leader, and writes go on through the primary service.
        String leader = query(prefix + "3", 5433, "dbuser_test", "DBUser.Test", "SELECT host(inet_server_addr())");
        assertThat(leader).isIn(prefix + "12", prefix + "13");
        assertThat(query(prefix + "3", 5433, "dbuser_test", "DBUser.Test", "SELECT pg_is_in_recovery()::text")).isEqualTo("false");
    }

    private static CliRun apply(Path inv) {
        return CliRun.pgha("provision", "apply", "-i", inv.toString(), "--sandbox", "--sandbox-name", name, "--package", deb.toString());
    }

    private static String etcdctl(Transport on, String args) {
        Transport.Exec r = on.run("ETCDCTL_API=3 etcdctl --endpoints=http://" + prefix + "10:2379 " + args, Duration.ofSeconds(10));
        assertThat(r.ok()).as(args + ": " + r.stderr()).isTrue();
        return r.stdout().strip();
    }

    private static Transport ssh(String host) {
        return SshTransport.connect(sandbox.target(host), Duration.ofSeconds(10));
    }

    private static String query(String host, int port, String user, String password, String sql) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "5");
        p.setProperty("socketTimeout", "10");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/test", p);
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
