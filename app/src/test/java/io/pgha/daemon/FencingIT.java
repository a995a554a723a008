package io.pgha.daemon;

import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import io.pgha.launch.ChildProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The other crash policy and the DCS outage, on three real nodes with {@code primary_start_timeout: 0}:
 * a PostgreSQL crash hands the leader key over at once, and a primary that loses the whole DCS
 * stops taking writes before its lease could have expired anywhere else.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FencingIT {
    static LocalCluster cluster;
    static final Duration BOOT = Duration.ofSeconds(90);
    static final Duration FAILOVER = Duration.ofSeconds(30);

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster(3, "fast", "primary_start_timeout: 0");
        cluster.startAll();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void postgresCrashWithZeroStartTimeoutFailsOverAtOnceAndTheOldPrimaryFollows() {
        LocalNode old = cluster.awaitHealthy(BOOT);
        old.killPostgres();
        LocalNode promoted = cluster.dumpOnFailure(() -> Await.value("another node answering 200 on /primary", FAILOVER,
                () -> cluster.nodes.stream().filter(n -> n != old && n.restStatus(cluster.http, "GET", "/primary") == 200).findFirst()));
        assertThat(promoted).isNotEqualTo(old);
        cluster.dumpOnFailure(() -> {
            cluster.awaitReplica(old, BOOT);
            return old;
        });
    }

    @Test
    @Order(2)
    void primaryStopsTakingWritesWhenTheWholeDcsIsGoneBeforeItsLeaseRunsOut() throws Exception {
        LocalNode p = cluster.dumpOnFailure(() -> cluster.awaitPrimary(FAILOVER));
        try (Connection c = cluster.connect(p); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS fence_probe (id serial PRIMARY KEY)");
        }
        cluster.etcd.killAll();
        try {
            // ttl is 3 s with rto fast: a lease renewed just before the outage is valid for at most 3 s
            // more, and nobody can take over before it expires. The primary must be unwritable by then.
            long killed = System.nanoTime();
            Await.until("writes on " + p.name() + " refused", Duration.ofSeconds(3), () -> !writable(p));
            double seconds = (System.nanoTime() - killed) / 1e9;
            assertThat(p.restStatus(cluster.http, "GET", "/primary")).isEqualTo(503);
            // The fence acts first and the cycle logs its line when it ends: the line may trail the refusal a little.
            cluster.dumpOnFailure(() -> {
                Await.until(p.name() + " logs why it stopped taking writes", Duration.ofSeconds(5),
                        () -> logSays(p, "fenced:") || logSays(p, "demote: DCS unreachable"));
                return null;
            });
            System.out.printf("writes refused %.2f s after the DCS went away%n", seconds);
        } finally {
            // Also when an assertion above failed: the next test needs its DCS, not a second failure.
            cluster.etcd.restartAll();
        }
        LocalNode after = cluster.dumpOnFailure(() -> cluster.awaitPrimary(BOOT));
        try (Connection c = cluster.connect(after); Statement st = c.createStatement()) {
            st.execute("INSERT INTO fence_probe DEFAULT VALUES");
        }
    }

    @Test
    @Order(3)
    void aFrozenPrimaryDaemonCannotKeepItsPostgresWritableWhileAReplicaTakesOver() throws Exception {
        LocalNode p = cluster.awaitHealthy(BOOT);
        ChildProcess daemon = cluster.daemons.get(p.name());
        daemon.freeze(); // SIGSTOP: its fence timer is frozen with it; only the keeper outside the JVM can act
        try {
            long frozen = System.nanoTime();
            Await.until("writes on the frozen primary " + p.name() + " refused", Duration.ofSeconds(3), () -> !writable(p));
            double refusedAfter = (System.nanoTime() - frozen) / 1e9;
            LocalNode promoted = cluster.dumpOnFailure(() -> Await.value("another node answering 200 on /primary", FAILOVER,
                    () -> cluster.nodes.stream().filter(n -> n != p && n.restStatus(cluster.http, "GET", "/primary") == 200).findFirst()));
            assertThat(writable(p)).as("the frozen primary stays unwritable after " + promoted.name() + " took over").isFalse();
            System.out.printf("frozen primary unwritable %.2f s after SIGSTOP%n", refusedAfter);
        } finally {
            daemon.thaw();
        }
        cluster.dumpOnFailure(() -> {
            cluster.awaitReplica(p, BOOT);
            return p;
        });
    }

    private static boolean writable(LocalNode n) {
        try (Connection c = cluster.connect(n); Statement st = c.createStatement()) {
            st.execute("INSERT INTO fence_probe DEFAULT VALUES");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static boolean logSays(LocalNode n, String text) {
        try {
            return Files.readString(n.daemonLog()).contains(text);
        } catch (IOException e) {
            return false; // not written yet
        }
    }
}
