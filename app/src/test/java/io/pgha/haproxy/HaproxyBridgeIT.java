package io.pgha.haproxy;

import io.pgha.daemon.LocalCluster;
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
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A real three-node pgha cluster (rto fast) behind two real HAProxy 2.6 instances: one rendered by
 * {@code pgha haproxy render} and steered by a {@code pgha haproxy run} process, with its health
 * checks slowed to 5 s so that anything faster is the bridge's doing; one with Pigsty's template
 * and health checks only. One cluster, one life, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HaproxyBridgeIT {
    static final String SLOW_CHECKS = "{inter: 5, fastinter: 5, downinter: 5, rise: 3, fall: 3}";
    /** Pigsty's "fast" rto plan for HAProxy. */
    static final String PIGSTY_FAST = "inter 1s fastinter 500ms downinter 1s rise 3 fall 3";
    static final Duration BOOT = Duration.ofSeconds(90);
    static final Duration FAILOVER = Duration.ofSeconds(30);

    static LocalCluster cluster;
    static HaproxyFront bridged;
    static HaproxyFront pigsty;
    static LocalNode primary;

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster(3, "fast", "");
        cluster.startAll();
        primary = cluster.awaitHealthy(BOOT);
        bridged = HaproxyFront.bridged(cluster, cluster.nodes.get(0), SLOW_CHECKS, true);
        pigsty = HaproxyFront.pigsty(cluster, primary, PIGSTY_FAST);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {pigsty, bridged, cluster}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception | Error e) { // one failing close must not leave the others' processes running
                    System.err.println("closing " + c + ": " + e);
                }
            }
        }
    }

    @Test
    @Order(1)
    void eachServiceRoutesLikePigstysThroughTheBridgeAndThroughPigstysOwnConfig() {
        within("writes through the primary and default ports land on " + primary.name(), Duration.ofSeconds(15), () ->
                Through.write(bridged.rig.primaryPort, cluster.nodes).filter(primary::equals).isPresent()
                        && Through.write(bridged.rig.defaultPort, cluster.nodes).filter(primary::equals).isPresent());
        Set<LocalNode> replicas = Set.copyOf(replicas());
        within("the replica port balances over both replicas", Duration.ofSeconds(15),
                () -> answers(bridged.rig.replicaPort, 12).equals(replicas));
        within("with no offline-tagged member the offline port falls back to the replicas", Duration.ofSeconds(15),
                () -> replicas.containsAll(answers(bridged.rig.offlinePort, 6)) && !answers(bridged.rig.offlinePort, 6).isEmpty());
        within("Pigsty's config, checks only: 10 writes in a row through its primary port on " + primary.name(), Duration.ofSeconds(20),
                () -> answersEvery(10, () -> Through.write(pigsty.rig.primaryPort, cluster.nodes), primary));
        within("Pigsty's config: reads through its replica port on the replicas", Duration.ofSeconds(20),
                () -> answers(pigsty.rig.replicaPort, 12).equals(replicas));
    }

    @Test
    @Order(2)
    void anOfflineTaggedMemberTakesTheOfflinePortAfterReloadsThatKeepEstablishedSessions() throws Exception {
        LocalNode offline = replicas().get(replicas().size() - 1);
        LocalNode other = replicas().stream().filter(n -> n != offline).findFirst().orElseThrow();
        long workerBefore = bridged.haproxy.runtime().workerPid();
        bridged.haproxy.rememberWorkers();
        try (Connection held = Through.connect(bridged.rig.primaryPort, 5)) {
            assertThat(Through.serverPort(held)).isEqualTo(primary.pgPort());
            // Pigsty's pg_offline_query: the node is restarted with the offline tag in its pgha.yml.
            cluster.daemons.remove(offline.name()).stop(Duration.ofSeconds(20));
            offline.prepare(cluster.etcd.hosts(), "fast", "", "tags: {offline: true}");
            cluster.start(offline);
            cluster.dumpOnFailure(() -> {
                cluster.awaitReplica(offline, BOOT);
                return null;
            });
            within("the offline port answered only by the offline-tagged " + offline.name(), Duration.ofSeconds(20),
                    () -> answers(bridged.rig.offlinePort, 6).equals(Set.of(offline)));
            within("the replica port answered by " + other.name() + ", the offline member only a backup", Duration.ofSeconds(20),
                    () -> answers(bridged.rig.replicaPort, 6).equals(Set.of(other)));
            bridged.haproxy.rememberWorkers();
            assertThat(bridged.haproxy.runtime().workerPid()).as("HAProxy was reloaded").isNotEqualTo(workerBefore);
            assertThat(Files.readString(bridged.rig.settings.configFile())).contains("server " + offline.name() + " 127.0.0.1:" + offline.pgPort());
            assertThat(Through.serverPort(held)).as("a session opened before the reloads still works").isEqualTo(primary.pgPort());
        }
    }

    @Test
    @Order(3)
    void afterANodeCrashTheSameClientsNextConnectionWritesOnTheNewPrimary() throws Exception {
        Connection before = Through.connect(bridged.primaryPort(), 5);
        try (Statement st = before.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS through_haproxy (id bigserial PRIMARY KEY, at timestamptz DEFAULT now())");
            st.execute("INSERT INTO through_haproxy DEFAULT VALUES");
        }
        assertThat(Through.serverPort(before)).isEqualTo(primary.pgPort());
        LocalNode old = primary;

        cluster.crash(old);
        LocalNode promoted = cluster.dumpOnFailure(() -> cluster.awaitPrimary(FAILOVER));
        long promotedAt = System.nanoTime();
        assertThat(promoted).isNotEqualTo(old);
        // Health checks at 5 s × rise 3 would need 10 s or more: a write within 2 s is the bridge's.
        within("a new connection through the primary port writes on " + promoted.name(), Duration.ofSeconds(2),
                () -> Through.write(bridged.primaryPort(), cluster.nodes).filter(promoted::equals).isPresent());
        System.out.printf("first write through the bridged primary port %d ms after %s answered /primary%n",
                (System.nanoTime() - promotedAt) / 1_000_000, promoted.name());
        try (Statement st = before.createStatement()) {
            st.execute("SELECT 1");
            fail("the session to the crashed primary should be gone");
        } catch (SQLException expected) {
            // cut
        } finally {
            before.close();
        }
        within("Pigsty's config, checks only, also moves writes to " + promoted.name(), Duration.ofSeconds(20),
                () -> Through.write(pigsty.rig.primaryPort, cluster.nodes).filter(promoted::equals).isPresent());
        primary = promoted;
        cluster.start(old);
        cluster.dumpOnFailure(() -> {
            cluster.awaitReplica(old, BOOT);
            return null;
        });
    }

    @Test
    @Order(4)
    void aPrimaryThatLostItsLeaseHasItsSessionsThroughHaproxyCutAtOnce() throws Exception {
        LocalNode frozen = primary;
        try (Connection session = Through.connect(bridged.primaryPort(), 5)) {
            assertThat(Through.serverPort(session)).isEqualTo(frozen.pgPort());
            // Frozen, not killed: its TCP connections stay open, so only HAProxy can end the session.
            cluster.daemons.get(frozen.name()).freeze();
            signalPostgres(frozen, "STOP");
            LocalNode promoted = cluster.dumpOnFailure(() -> cluster.awaitPrimary(FAILOVER));
            assertThat(promoted).isNotEqualTo(frozen);
            long t0 = System.nanoTime();
            try (Statement st = session.createStatement()) {
                st.execute("SELECT 1");
                fail("the session to the frozen former primary should have been shut down");
            } catch (SQLException e) {
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertThat(e.getMessage()).as("closed by HAProxy, not a read timeout").doesNotContainIgnoringCase("timed out");
                assertThat(ms).as("ms until the statement failed").isLessThan(3000);
            }
            within("writes through the primary port on " + promoted.name(), Duration.ofSeconds(3),
                    () -> Through.write(bridged.primaryPort(), cluster.nodes).filter(promoted::equals).isPresent());
            primary = promoted;
        } finally {
            // SIGKILL ends stopped processes too; the backends first, while they are still the postmaster's children.
            signalPostgres(frozen, "KILL");
            cluster.crash(frozen);
        }
    }

    @Test
    @Order(5)
    void theReplicaPortFallsBackToThePrimaryWhenNoReplicaIsUp() {
        for (LocalNode r : replicas()) {
            ChildProcess d = cluster.daemons.remove(r.name());
            if (d != null) {
                d.stop(Duration.ofSeconds(20)); // stops its PostgreSQL and revokes its lease: it leaves the cluster
            }
        }
        within("the replica port answered by the primary " + primary.name(), Duration.ofSeconds(20),
                () -> answers(bridged.rig.replicaPort, 6).equals(Set.of(primary)));
    }

    // ---- helpers -------------------------------------------------------------------------------

    static List<LocalNode> replicas() {
        return cluster.nodes.stream().filter(n -> n != primary && cluster.daemons.containsKey(n.name())).toList();
    }

    static Set<LocalNode> answers(int port, int connections) {
        Set<LocalNode> seen = new HashSet<>();
        for (int i = 0; i < connections; i++) {
            Through.whoAnswers(port, cluster.nodes).ifPresent(seen::add);
        }
        return seen;
    }

    static boolean answersEvery(int times, Supplier<Optional<LocalNode>> attempt, LocalNode expected) {
        for (int i = 0; i < times; i++) {
            if (attempt.get().filter(expected::equals).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Awaits a condition; a timeout reports the bridge's and the daemons' logs. */
    static void within(String what, Duration timeout, BooleanSupplier condition) {
        try {
            Await.until(what, timeout, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n---- bridge\n" + bridged.bridgeLog() + "\n---- haproxy\n" + bridged.haproxy.log(20)
                    + "\n" + cluster.logs(), e);
        }
    }

    /**
     * A signal to the postmaster and each of its children. Not to a process group: every PostgreSQL
     * backend calls setsid(), so the postmaster's group holds only the postmaster.
     */
    static void signalPostgres(LocalNode n, String signal) throws IOException, InterruptedException {
        long postmaster = n.postmasterPid().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of("kill", "-" + signal, Long.toString(postmaster)));
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (Long.parseLong(f[1]) == postmaster) {
                        cmd.add(p.getFileName().toString());
                    }
                } catch (IOException gone) {
                    // exited while we looked
                }
            }
        }
        new ProcessBuilder(cmd).start().waitFor();
    }

    static String names(Set<LocalNode> nodes) {
        return nodes.stream().map(LocalNode::name).sorted().collect(Collectors.joining(","));
    }
}
