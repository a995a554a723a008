package io.pgha.daemon;

import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import io.pgha.launch.ChildProcess;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code failsafe_mode: true} on three real nodes and a real 3-member etcd, rto norm (ttl 8 s,
 * safety margin 2 s): with every etcd member killed for longer than ttl the primary keeps taking
 * writes on its members' acknowledgements and no replica promotes; etcd back, it leads normally again.
 * With etcd down and one replica's daemon frozen, the primary stops taking writes within ttl.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailsafeIT {
    static LocalCluster cluster;
    static final Duration BOOT = Duration.ofSeconds(120);
    static final Duration TTL = Duration.ofSeconds(8);

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster(3, "norm", "failsafe_mode: true");
        cluster.startAll();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The healthy primary once its failsafe key lists all three members. */
    private static LocalNode healthyWithFailsafeKey() throws Exception {
        LocalNode p = cluster.awaitHealthy(BOOT);
        cluster.dumpOnFailure(() -> {
            Await.until("GET /failsafe on " + p.name() + " listing all three members", BOOT, () -> p.restBody(cluster.http, "/failsafe")
                    .filter(b -> b.startsWith("{")).map(b -> new JsonObject(b).size() == 3).orElse(false));
            return p;
        });
        try (Connection c = cluster.connect(p); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS failsafe_probe (id serial PRIMARY KEY, at timestamptz DEFAULT now())");
        }
        return p;
    }

    private static boolean failsafeActive(LocalNode n) {
        return n.restBody(cluster.http, "/patroni").filter(b -> b.startsWith("{"))
                .map(b -> Boolean.TRUE.equals(new JsonObject(b).getValue("failsafe_mode_is_active"))).orElse(false);
    }

    @Test
    @Order(1)
    void withEveryEtcdMemberGoneLongerThanTtlThePrimaryKeepsWritingAndNoReplicaPromotes() throws Exception {
        LocalNode p = healthyWithFailsafeKey();
        try (Connection c = cluster.connect(p); Statement st = c.createStatement()) {
            cluster.etcd.killAll();
            long killed = System.nanoTime();
            cluster.dumpOnFailure(() -> {
                Await.until(p.name() + " reporting failsafe_mode_is_active", TTL, () -> failsafeActive(p));
                return p;
            });
            // Its lease was renewed at most loop_wait before the kill, so it ran out by kill + ttl at the
            // latest. Write on until twice that, one insert after the other, every one must succeed.
            long until = killed + 2 * TTL.toNanos();
            int inserted = 0;
            while (System.nanoTime() - until < 0) {
                try {
                    st.execute("INSERT INTO failsafe_probe DEFAULT VALUES");
                } catch (SQLException e) {
                    throw new AssertionError(String.format("insert refused %.1f s after etcd went away: %s%n%s",
                            (System.nanoTime() - killed) / 1e9, e.getMessage(), cluster.logs()), e);
                }
                inserted++;
            }
            assertThat(failsafeActive(p)).as("still on failsafe at 2 × ttl").isTrue();
            assertThat(p.restStatus(cluster.http, "GET", "/primary")).as("/primary on " + p.name()).isEqualTo(200);
            assertThat(p.restBody(cluster.http, "/metrics").orElse(""))
                    .contains("patroni_failsafe_mode_is_active{scope=\"" + cluster.scope + "\",name=\"" + p.name() + "\"} 1");
            for (LocalNode n : cluster.nodes) {
                if (n != p) {
                    assertThat(n.restStatus(cluster.http, "GET", "/primary")).as("/primary on replica " + n.name()).isEqualTo(503);
                    assertThat(inRecovery(n)).as(n.name() + " still in recovery").isTrue();
                }
            }
            assertThat(Files.readString(p.daemonLog())).contains("failsafe active: all 2 members acknowledged me as leader; DCS unreachable");
            System.out.printf("%d inserts on %s over %.1f s without etcd (ttl %d s)%n", inserted, p.name(),
                    (System.nanoTime() - killed) / 1e9, TTL.toSeconds());
        } finally {
            cluster.etcd.restartAll();
        }
        cluster.dumpOnFailure(() -> {
            Await.until(p.name() + " logging that failsafe ended", BOOT, () -> log(p).contains("failsafe ended after"));
            Await.until(p.name() + " no longer reporting failsafe", BOOT, () -> !failsafeActive(p));
            return p;
        });
        assertThat(log(p)).contains("DCS reachable again");
        LocalNode after = cluster.awaitHealthy(BOOT);
        assertThat(after).as("the primary that ran on failsafe leads on").isEqualTo(p);
        try (Connection c = cluster.connect(after); Statement st = c.createStatement()) {
            st.execute("INSERT INTO failsafe_probe DEFAULT VALUES");
        }
    }

    @Test
    @Order(2)
    void withEtcdGoneAFrozenReplicaDaemonMakesThePrimaryStopWritingWithinTtl() throws Exception {
        LocalNode p = healthyWithFailsafeKey();
        LocalNode frozen = cluster.nodes.stream().filter(n -> n != p).findFirst().orElseThrow();
        ChildProcess daemon = cluster.daemons.get(frozen.name());
        try {
            cluster.etcd.killAll();
            cluster.dumpOnFailure(() -> {
                Await.until(p.name() + " reporting failsafe_mode_is_active", TTL, () -> failsafeActive(p));
                return p;
            });
            int before = log(p).length();
            daemon.freeze(); // SIGSTOP: its REST API cannot acknowledge any more
            long froze = System.nanoTime();
            cluster.dumpOnFailure(() -> {
                Await.until("writes on " + p.name() + " refused", TTL.plusSeconds(5), () -> !writable(p));
                return p;
            });
            double seconds = (System.nanoTime() - froze) / 1e9;
            assertThat(p.restStatus(cluster.http, "GET", "/primary")).isEqualTo(503);
            assertThat(log(p).substring(before)).contains("not acknowledged by " + frozen.name());
            cluster.dumpOnFailure(() -> {
                Await.until(p.name() + " logging that failsafe ended", TTL, () -> log(p).substring(before).contains("failsafe ended after"));
                return p;
            });
            assertThat(failsafeActive(p)).isFalse();
            for (LocalNode n : cluster.nodes) {
                if (n != p && n != frozen) {
                    assertThat(inRecovery(n)).as(n.name() + " did not promote without the DCS").isTrue();
                }
            }
            System.out.printf("%s refused writes %.2f s after %s's daemon was frozen (ttl %d s)%n", p.name(), seconds, frozen.name(),
                    TTL.toSeconds());
        } finally {
            daemon.thaw();
            cluster.etcd.restartAll();
        }
        LocalNode after = cluster.awaitHealthy(BOOT);
        try (Connection c = cluster.connect(after); Statement st = c.createStatement()) {
            st.execute("INSERT INTO failsafe_probe DEFAULT VALUES");
        }
    }

    private static String log(LocalNode n) {
        try {
            return Files.readString(n.daemonLog());
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean writable(LocalNode n) {
        try (Connection c = cluster.connect(n); Statement st = c.createStatement()) {
            st.execute("INSERT INTO failsafe_probe DEFAULT VALUES");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static boolean inRecovery(LocalNode n) throws SQLException {
        try (Connection c = cluster.connect(n); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_is_in_recovery()")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
