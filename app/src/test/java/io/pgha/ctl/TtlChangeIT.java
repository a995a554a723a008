package io.pgha.ctl;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.LeaseOption;
import io.pgha.daemon.LocalCluster;
import io.pgha.dcs.ClusterEvent;
import io.pgha.dcs.ClusterWatch;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.etcd.EtcdDcs;
import io.pgha.dcs.etcd.EtcdSettings;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The issue "a ttl changed in the dynamic config never reaches the lease", on a real 3-node cluster
 * (pgha daemons, PostgreSQL 15, 3-member etcd) bootstrapped with ttl 30: {@code pgha edit-config -s
 * ttl=…} both ways, every member's lease as etcd itself grants it, the leader key owned at every
 * revision in between, {@code pgha list} and {@code /patroni} showing the granted TTL, and a node crash
 * after the change to ttl 10 failing over in the time ttl 10 promises, not ttl 30's.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TtlChangeIT {
    static LocalCluster cluster;
    static EtcdDcs dcs;
    static Client etcd;
    static LocalNode primary;
    static final Duration BOOT = Duration.ofSeconds(90);
    /** loop_wait 2 (rto norm) plus a renewal and a cycle's work, generously. */
    static final Duration APPLIED = Duration.ofSeconds(15);

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster(3, "norm", "ttl: 30");
        cluster.startAll();
        dcs = new EtcdDcs(new KeyLayout("/service", cluster.scope), EtcdSettings.plain(cluster.etcd.clientUrls(), Duration.ofSeconds(5)));
        etcd = Client.builder().endpoints(cluster.etcd.clientUrls().toArray(String[]::new)).build();
        primary = cluster.awaitHealthy(BOOT);
    }

    @AfterAll
    static void stop() {
        if (etcd != null) {
            etcd.close();
        }
        if (dcs != null) {
            dcs.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static CtlRun ctl(String... args) {
        return CtlRun.pgha(CtlIT.withConfigOf(cluster, args));
    }

    /** Each running member's lease TTL as etcd granted it, read from the lease its member key is bound to. */
    static Map<String, Long> grantedTtls() {
        Map<String, Long> ttls = new TreeMap<>();
        for (LocalNode n : cluster.nodes) {
            if (!cluster.daemons.containsKey(n.name())) {
                continue;
            }
            try {
                List<KeyValue> kvs = etcd.getKVClient().get(bytes(dcs.layout().member(n.name()))).get(5, TimeUnit.SECONDS).getKvs();
                if (kvs.size() == 1) {
                    ttls.put(n.name(), etcd.getLeaseClient().timeToLive(kvs.get(0).getLease(), LeaseOption.DEFAULT)
                            .get(5, TimeUnit.SECONDS).getGrantedTTL());
                }
            } catch (Exception e) {
                ttls.put(n.name(), -1L);
            }
        }
        return ttls;
    }

    static long leaderKeyLeaseTtl() throws Exception {
        List<KeyValue> kvs = etcd.getKVClient().get(bytes(dcs.layout().leader())).get(5, TimeUnit.SECONDS).getKvs();
        assertThat(kvs).as("leader key").hasSize(1);
        return etcd.getLeaseClient().timeToLive(kvs.get(0).getLease(), LeaseOption.DEFAULT).get(5, TimeUnit.SECONDS).getGrantedTTL();
    }

    static List<String> leaseMoves() {
        try {
            return Files.readAllLines(primary.daemonLog()).stream().filter(l -> l.contains("lease ttl ")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    static void setTtl(long ttl) throws Exception {
        long movesBefore = leaseMoves().size();
        CtlRun set = ctl("edit-config", "--set", "ttl=" + ttl, "--force");
        assertThat(set.exit()).as(set.all()).isZero();
        long started = System.nanoTime();
        cluster.dumpOnFailure(() -> {
            Await.until("every member's lease granted for " + ttl + " s (etcd: " + grantedTtls() + ")", APPLIED,
                    () -> grantedTtls().size() == 3 && grantedTtls().values().stream().allMatch(t -> t == ttl));
            return null;
        });
        System.out.printf("ttl → %d s: every lease granted for it %.1f s after edit-config%n", ttl, (System.nanoTime() - started) / 1e9);
        assertThat(leaderKeyLeaseTtl()).as("the leader key's lease").isEqualTo(ttl);
        // The daemon's log line may reach the file a moment after the lease moved in etcd.
        List<String> moves = Await.value("the primary's log line for the move", APPLIED,
                () -> Optional.of(leaseMoves()).filter(m -> m.size() > movesBefore));
        assertThat(moves).as("the primary says what it did").last().asString().contains("leader and member keys moved to lease");
        System.out.println(primary.name() + ": " + moves.get(moves.size() - 1));
    }

    @Test
    @Order(1)
    void bootstrappedWithTtl30EveryLeaseIsGrantedFor30() {
        assertThat(grantedTtls()).containsOnlyKeys("node1", "node2", "node3").allSatisfy((name, ttl) -> assertThat(ttl).isEqualTo(30L));
    }

    @Test
    @Order(2)
    void editConfigMovesEveryMemberToALeaseOfTheNewTtlBothWaysAndTheLeaderKeyStaysOwned() throws Exception {
        List<ClusterEvent> events = new CopyOnWriteArrayList<>();
        long from = dcs.read(Consistency.LINEARIZABLE).revision();
        try (ClusterWatch watch = dcs.watch(from, events::add)) {
            setTtl(10);
            setTtl(30);
            setTtl(10);
            long to = dcs.read(Consistency.LINEARIZABLE).revision();
            Await.until("watch caught up", Duration.ofSeconds(5), () -> !events.isEmpty() && events.get(events.size() - 1).revision() >= to);
        }
        assertThat(events).as("the leader key was never deleted or held by another").noneMatch(e -> e instanceof ClusterEvent.LeaderDeleted
                || e instanceof ClusterEvent.Resynced
                || e instanceof ClusterEvent.LeaderChanged c && !c.leader().equals(primary.name()));
        assertThat(events).as("no member left the cluster").noneMatch(e -> e instanceof ClusterEvent.MemberDeleted);
        assertThat(cluster.awaitPrimary(Duration.ofSeconds(5))).isEqualTo(primary);
    }

    @Test
    @Order(3)
    void listAndPatroniShowTheGrantedTtl() {
        // A member publishes its new lease's TTL in its key on the cycle after it moved to that lease.
        Await.until("every member publishing lease_ttl 10", APPLIED, () -> {
            CtlRun l = ctl("list", "--json");
            return l.exit() == 0 && new JsonObject(l.out()).getJsonArray("members").stream()
                    .allMatch(m -> Long.valueOf(10).equals(((JsonObject) m).getLong("lease_ttl")));
        });
        CtlRun list = ctl("list", "--json");
        assertThat(list.exit()).as(list.all()).isZero();
        JsonArray members = new JsonObject(list.out()).getJsonArray("members");
        assertThat(members).hasSize(3);
        members.forEach(m -> assertThat(((JsonObject) m).getLong("lease_ttl")).as(m.toString()).isEqualTo(10L));
        CtlRun text = ctl("list");
        assertThat(text.out()).contains("Lease TTL").containsPattern(primary.name() + " .* 10 s ");
        for (LocalNode n : cluster.nodes) {
            Optional<String> body = n.restBody(cluster.http, "/patroni");
            assertThat(body).as(n.name() + " /patroni").isPresent();
            assertThat(new JsonObject(body.get()).getJsonObject("pgha").getLong("lease_ttl")).as(n.name()).isEqualTo(10L);
        }
    }

    @Test
    @Order(4)
    void aNodeCrashAfterTheChangeFailsOverWithinWhatTtl10Promises() {
        LocalNode old = primary;
        long crashed = System.nanoTime();
        cluster.crash(old);
        LocalNode promoted = cluster.dumpOnFailure(() -> cluster.awaitPrimary(Duration.ofSeconds(60)));
        Duration took = Duration.ofNanos(System.nanoTime() - crashed);
        System.out.printf("failover after ttl 30 → 10: %s answers 200 on /primary %.1f s after %s crashed (ttl 30 would take > 28 s)%n",
                promoted.name(), took.toMillis() / 1000.0, old.name());
        assertThat(promoted).isNotEqualTo(old);
        assertThat(took).as("lease expiry (≤ 10 s) plus election and promotion").isLessThan(Duration.ofSeconds(20));
    }
}
