package io.pgha.ctl;

import io.pgha.daemon.LocalCluster;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.etcd.EtcdDcs;
import io.pgha.dcs.etcd.EtcdSettings;
import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.dcs.model.Versioned;
import io.pgha.demo.LocalNode;
import io.pgha.launch.Await;
import io.pgha.launch.ChildProcess;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator commands that need nothing new from the daemon, run as an operator runs them against
 * a real 3-node cluster (pgha daemons, PostgreSQL 15, 3-member etcd): list, topology, show-config,
 * edit-config (including a compare-and-swap lost to a concurrent PATCH), pause/resume through the
 * daemons' PATCH /config, history after a real failover, remove, and every bad-input case with the
 * DCS checked unchanged afterwards. One cluster, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CtlIT {
    static LocalCluster cluster;
    static EtcdDcs dcs;
    static LocalNode primary;
    static final Duration BOOT = Duration.ofSeconds(90);
    static final Duration SOON = Duration.ofSeconds(30);

    @BeforeAll
    static void start() throws Exception {
        cluster = new LocalCluster(3, "fast", "");
        cluster.startAll();
        dcs = new EtcdDcs(new KeyLayout("/service", cluster.scope), EtcdSettings.plain(cluster.etcd.clientUrls(), Duration.ofSeconds(5)));
        primary = cluster.awaitHealthy(BOOT);
    }

    @AfterAll
    static void stop() {
        if (dcs != null) {
            dcs.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** A command pointed at the cluster through a node's pgha.yml, as on a database host. */
    static CtlRun ctl(String... args) {
        return CtlRun.pgha(withConfig(args));
    }

    static String[] withConfig(String... args) {
        return withConfigOf(cluster, args);
    }

    static String[] withConfigOf(LocalCluster cluster, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-c", cluster.nodes.get(0).config().toString()));
        return all.toArray(String[]::new);
    }

    static Cluster read() {
        return dcs.read(Consistency.LINEARIZABLE);
    }

    static JsonObject listJson() {
        CtlRun r = ctl("list", "--json");
        assertThat(r.exit()).as(r.all()).isZero();
        return new JsonObject(r.out());
    }

    static Versioned<String> config() {
        return read().config().orElseThrow();
    }

    @Test
    @Order(1)
    void listShowsEveryMemberWithRoleStateTimelineAndLag() {
        // Member keys follow /replica by up to one cycle: wait until both replicas publish streaming.
        JsonObject j = Await.value("list --json showing two streaming replicas", SOON, () -> {
            JsonObject l = listJson();
            long streaming = l.getJsonArray("members").stream().filter(m -> "streaming".equals(((JsonObject) m).getString("state"))).count();
            return streaming == 2 ? Optional.of(l) : Optional.empty();
        });
        assertThat(j.getString("scope")).isEqualTo(cluster.scope);
        assertThat(j.getString("system_id")).isEqualTo(read().initialize().orElseThrow().value());
        assertThat(j.getString("leader")).isEqualTo(primary.name());
        assertThat(j.getBoolean("paused")).isFalse();
        JsonArray members = j.getJsonArray("members");
        assertThat(members).hasSize(3);
        // 1 unless a slow machine saw a failover during bootstrap; the same on every member either way.
        long timeline = members.stream().map(o -> ((JsonObject) o).getLong("timeline")).filter(Objects::nonNull)
                .findFirst().orElseThrow();
        for (Object o : members) {
            JsonObject m = (JsonObject) o;
            LocalNode n = cluster.node(m.getString("name"));
            assertThat(m.getInteger("port")).isEqualTo(n.pgPort());
            assertThat(m.getLong("timeline")).isEqualTo(timeline);
            assertThat(m.getString("api_url")).isEqualTo(n.restUrl() + "/patroni");
            if (n == primary) {
                assertThat(m.getString("role")).isEqualTo("Leader");
                assertThat(m.getValue("lag_bytes")).isNull();
            } else {
                assertThat(m.getString("role")).isEqualTo("Replica");
                assertThat(m.getLong("lag_bytes")).isNotNull().isGreaterThanOrEqualTo(0L);
                assertThat(m.getString("upstream")).isEqualTo(primary.name());
            }
        }

        CtlRun text = ctl("list");
        assertThat(text.exit()).as(text.all()).isZero();
        assertThat(text.out()).startsWith("Cluster: " + cluster.scope + " (system id " + j.getString("system_id") + ")\n")
                .contains("Member", "Lag (MB)", "Pending restart")
                .containsPattern(primary.name() + " +127\\.0\\.0\\.1:" + primary.pgPort() + " +Leader +running +" + timeline + " ");
    }

    @Test
    @Order(2)
    void topologyPutsTheLeaderFirstAndWatchRefreshes() {
        CtlRun topo = ctl("topology");
        assertThat(topo.exit()).as(topo.all()).isZero();
        List<String> lines = topo.out().lines().toList();
        assertThat(lines.get(2)).startsWith(primary.name() + " ");
        assertThat(lines.subList(3, 5)).allMatch(l -> l.startsWith("+ node"));

        CtlRun watch = ctl("list", "-W", "--interval", "0.1", "--count", "2");
        assertThat(watch.exit()).as(watch.all()).isZero();
        assertThat(watch.out().split("Cluster: ", -1)).hasSize(3);
    }

    @Test
    @Order(3)
    void showConfigPrintsTheDcsConfig() {
        CtlRun yaml = ctl("show-config");
        assertThat(yaml.exit()).as(yaml.all()).isZero();
        assertThat(yaml.out()).contains("rto: fast\n", "postgresql:\n  use_pg_rewind: true\n");
        CtlRun json = ctl("show-config", "--json");
        assertThat(new JsonObject(json.out())).isEqualTo(new JsonObject(config().value()));
    }

    @Test
    @Order(4)
    void editConfigWritesFlagsAndEditorChangesWithCompareAndSwap() {
        long before = config().version();
        CtlRun set = ctl("edit-config", "--set", "maximum_lag_on_failover=2097152", "--pg", "work_mem=8MB", "--force", "--json");
        assertThat(set.exit()).as(set.all()).isZero();
        JsonObject written = new JsonObject(config().value());
        assertThat(written.getLong("maximum_lag_on_failover")).isEqualTo(2097152L);
        assertThat(written.getJsonObject("postgresql").getJsonObject("parameters").getString("work_mem")).isEqualTo("8MB");
        assertThat(written.getString("rto")).isEqualTo("fast");
        assertThat(config().version()).isGreaterThan(before);
        assertThat(new JsonObject(set.out()).getLong("version")).isEqualTo(config().version());
        assertThat(set.err()).contains("-maximum_lag_on_failover: 1048576", "+maximum_lag_on_failover: 2097152", "+    work_mem: 8MB");

        CtlRun edited = ctl("edit-config", "--editor", "sed -i 's/^maximum_lag_on_failover: .*/maximum_lag_on_failover: 3145728/'", "--force");
        assertThat(edited.exit()).as(edited.all()).isZero();
        assertThat(new JsonObject(config().value()).getLong("maximum_lag_on_failover")).isEqualTo(3145728L);

        CtlRun same = ctl("edit-config", "--set", "maximum_lag_on_failover=3145728", "--force");
        assertThat(same.exit()).isZero();
        assertThat(same.out()).contains("Not changed.");
    }

    @Test
    @Order(5)
    void editConfigThatLosesTheRaceWritesNothing() {
        // The operator takes their time at the prompt; meanwhile someone else PATCHes the config
        // through a daemon. The CLI's compare-and-swap on the version it read must then fail.
        LocalNode other = cluster.nodes.get(1);
        InputStream racingOperator = new InputStream() {
            private InputStream answer;

            @Override
            public int read() throws IOException {
                if (answer == null) {
                    int status = patchConfig(other, "{\"maximum_lag_on_failover\":4194304}");
                    assertThat(status).isEqualTo(200);
                    answer = new ByteArrayInputStream("y\n".getBytes(StandardCharsets.UTF_8));
                }
                return answer.read();
            }
        };
        CtlRun r = CtlRun.withInput(racingOperator, withConfig("edit-config", "--set", "maximum_lag_on_failover=5242880"));
        assertThat(r.exit()).as(r.all()).isEqualTo(Exit.FAILED);
        assertThat(r.err()).contains("config changed meanwhile").contains("nothing written");
        assertThat(r.err().strip()).doesNotContain("\n");
        assertThat(new JsonObject(config().value()).getLong("maximum_lag_on_failover")).isEqualTo(4194304L);
    }

    @Test
    @Order(6)
    void editConfigRefusalsChangeNothing() {
        Versioned<String> before = config();
        expectRefused(ctl("edit-config", "--set", "ttl=1", "--force"), Exit.USAGE, "config.ttl: must be");
        expectRefused(ctl("edit-config", "--set", "loop_wiat=2", "--force"), Exit.USAGE, "did you mean loop_wait");
        expectRefused(ctl("edit-config", "--set", "pause=maybe", "--force"), Exit.USAGE, "config.pause");
        expectRefused(ctl("edit-config", "--set", "ttl", "--force"), Exit.USAGE, "expected name=value");
        expectRefused(ctl("edit-config", "--apply", "/nonexistent.yml", "--force"), Exit.USAGE, "no such file");
        expectRefused(ctl("edit-config", "--apply", "-"), Exit.USAGE, "add --force");
        expectRefused(ctl("edit-config", "--editor", "false", "--force"), Exit.FAILED, "exited with 1");
        CtlRun declined = CtlRun.withInput("n\n", withConfig("edit-config", "--set", "maximum_lag_on_failover=1"));
        expectRefused(declined, Exit.FAILED, "aborted, config not changed");
        assertThat(declined.out()).contains("Apply these changes? [y/N]");
        assertThat(config()).isEqualTo(before);
    }

    @Test
    @Order(7)
    void pauseAndResumeGoThroughTheDaemonsAndWaitForEveryMember() {
        CtlRun pause = ctl("pause", "--wait");
        assertThat(pause.exit()).as(pause.all()).isZero();
        for (LocalNode n : cluster.nodes) {
            assertThat(new JsonObject(n.restBody(cluster.http, "/patroni").orElseThrow()).getBoolean("pause", false)).as(n.name()).isTrue();
        }
        assertThat(new JsonObject(config().value()).getBoolean("pause")).isTrue();
        assertThat(ctl("list").out()).contains("Maintenance mode: on");
        assertThat(listJson().getBoolean("paused")).isTrue();

        Versioned<String> paused = config();
        expectRefused(ctl("pause"), Exit.USAGE, "is already paused");
        expectRefused(ctl("switchover", "--force"), Exit.USAGE, "is paused: a switchover then needs a named --candidate");
        expectRefused(ctl("switchover", "--candidate", other(primary).name(), "--scheduled", "2099-01-01T00:00Z", "--force"),
                Exit.USAGE, "cannot be scheduled");
        assertThat(config()).isEqualTo(paused);

        CtlRun resume = ctl("resume", "--wait", "--json");
        assertThat(resume.exit()).as(resume.all()).isZero();
        assertThat(new JsonObject(resume.out()).getBoolean("paused")).isFalse();
        assertThat(new JsonObject(config().value()).containsKey("pause")).isFalse();
        for (LocalNode n : cluster.nodes) {
            assertThat(new JsonObject(n.restBody(cluster.http, "/patroni").orElseThrow()).getBoolean("pause", false)).as(n.name()).isFalse();
        }
    }

    @Test
    @Order(8)
    void badInputIsAnsweredInOneLineAndChangesNothing() {
        Cluster before = read();
        String leader = primary.name();
        String replica = other(primary).name();
        String third = cluster.nodes.stream().filter(n -> n != primary && !n.name().equals(replica)).findFirst().orElseThrow().name();
        expectRefused(ctl("switchover", "--candidate", "nope", "--force"), Exit.USAGE, "no member named \"nope\"");
        expectRefused(ctl("switchover", "--candidate", leader, "--force"), Exit.USAGE, leader + " is already the leader");
        expectRefused(ctl("switchover", "--leader", replica, "--candidate", third, "--force"), Exit.USAGE, replica + " is not the leader");
        expectRefused(ctl("switchover", "--candidate", replica, "--scheduled", "2001-01-01T00:00Z", "--force"), Exit.USAGE, "is in the past");
        expectRefused(ctl("switchover", "--scheduled", "tomorrow", "--force"), Exit.USAGE, "expected ISO 8601");
        expectRefused(ctl("failover", "--candidate", "nope", "--force"), Exit.USAGE, "no member named");
        expectRefused(ctl("failover", "--candidate", leader, "--force"), Exit.USAGE, "already the leader");
        expectParseError(ctl("failover", "--force"), "Missing required option: '--candidate=NAME'");
        expectRefused(ctl("reinit", leader, "--force"), Exit.USAGE, leader + " is the leader");
        expectRefused(ctl("restart", "nope", "--force"), Exit.USAGE, "no member named");
        expectRefused(ctl("restart", "--role", "boss", "--force"), Exit.USAGE, "--role must be");
        expectRefused(ctl("restart", "--scheduled", "2001-01-01T00:00Z", "--force"), Exit.USAGE, "is in the past");
        expectRefused(ctl("remove", "not-" + cluster.scope), Exit.USAGE, "nothing removed");
        expectRefused(ctl("flush", "everything"), Exit.USAGE, "switchover or restart");
        expectRefused(CtlRun.pgha("list", "--dcs", "etcd3://" + cluster.etcd.hosts(), "--scope", "no-such-scope"), Exit.USAGE, "no cluster \"no-such-scope\"");
        expectRefused(CtlRun.pgha("list"), Exit.USAGE, "say which cluster");
        expectRefused(CtlRun.pgha("list", "--dcs", "zookeeper://x:2181", "--scope", "x"), Exit.USAGE, "only etcd3://");
        expectParseError(ctl("list", "--bogus"), "Unknown option: '--bogus'");
        expectRefused(CtlRun.pgha("list", "--dcs", "etcd3://127.0.0.1:1", "--scope", cluster.scope, "--timeout", "1"), Exit.UNREACHABLE, "DCS unreachable");
        Cluster after = read();
        assertThat(after.config()).isEqualTo(before.config());
        assertThat(after.failover()).isEqualTo(before.failover());
        assertThat(after.leaderName()).isEqualTo(before.leaderName());
        assertThat(after.history()).isEqualTo(before.history());
        assertThat(after.members().keySet()).isEqualTo(before.members().keySet());
    }

    @Test
    @Order(9)
    void historyShowsTheFailoverThatJustHappened() {
        int before = read().history().map(h -> h.value().size()).orElse(0);
        CtlRun now = ctl("history");
        assertThat(now.exit()).as(now.all()).isZero();
        if (before == 0) {
            assertThat(now.out()).contains("TL  LSN  Reason  Timestamp  New Leader", "no timeline switch recorded yet");
        }
        long timeline = cluster.nodes.stream().filter(n -> n == primary).findFirst()
                .map(n -> new JsonObject(n.restBody(cluster.http, "/patroni").orElseThrow()).getLong("timeline")).orElseThrow();

        LocalNode old = primary;
        cluster.crash(old);
        primary = cluster.dumpOnFailure(() -> cluster.awaitPrimary(SOON));
        JsonArray rows = Await.value("history --json with one more switch", SOON, () -> {
            CtlRun r = ctl("history", "--json");
            JsonArray a = new JsonArray(r.out());
            return a.size() == before + 1 ? Optional.of(a) : Optional.empty();
        });
        JsonObject row = rows.getJsonObject(before);
        assertThat(row.fieldNames()).containsExactly("timeline", "lsn", "lsn_int", "reason", "timestamp", "new_leader");
        assertThat(row.getLong("timeline")).isEqualTo(timeline);
        assertThat(row.getString("new_leader")).isEqualTo(primary.name());
        CtlRun text = ctl("history");
        assertThat(text.out()).contains(row.getString("lsn"), primary.name());
    }

    @Test
    @Order(10)
    void removeAsksThreeTimesAndThenWipesEveryKey() {
        Cluster before = read();
        String leader = before.leaderName().orElseThrow();
        CtlRun wrongName = CtlRun.withInput("other\n", withConfig("remove", cluster.scope));
        expectRefused(wrongName, Exit.FAILED, "nothing removed");
        CtlRun notAware = CtlRun.withInput(cluster.scope + "\nyes\n", withConfig("remove", cluster.scope));
        expectRefused(notAware, Exit.FAILED, "\"Yes I am aware\" not typed");
        CtlRun wrongLeader = CtlRun.withInput(cluster.scope + "\nYes I am aware\nnot-" + leader + "\n", withConfig("remove", cluster.scope));
        expectRefused(wrongLeader, Exit.FAILED, "not the leader's");
        assertThat(read().config()).isEqualTo(before.config());
        assertThat(read().leaderName()).contains(leader);

        // Removing is for a cluster whose daemons are stopped; with the leader gone, no leader name is asked.
        for (LocalNode n : cluster.nodes) {
            ChildProcess d = cluster.daemons.remove(n.name());
            if (d != null) {
                d.stop(Duration.ofSeconds(20));
            }
        }
        Await.until("leader key released", SOON, () -> read().leaderName().isEmpty());
        CtlRun removed = CtlRun.withInput(cluster.scope + "\nYes I am aware\n", withConfig("remove", cluster.scope, "--json"));
        assertThat(removed.exit()).as(removed.all()).isZero();
        assertThat(new JsonObject(removed.out()).getString("removed")).isEqualTo(cluster.scope);
        Cluster after = read();
        assertThat(after.initialize()).isEmpty();
        assertThat(after.config()).isEmpty();
        assertThat(after.history()).isEmpty();
        assertThat(after.members()).isEmpty();
        expectRefused(ctl("list"), Exit.USAGE, "no cluster");
    }

    static LocalNode other(LocalNode n) {
        return cluster.nodes.stream().filter(x -> x != n && cluster.daemons.containsKey(x.name())).findFirst().orElseThrow();
    }

    static void expectRefused(CtlRun r, int exit, String reason) {
        assertThat(r.exit()).as(r.all()).isEqualTo(exit);
        assertThat(r.err()).as(r.all()).contains(reason);
        assertThat(r.err().strip()).as("one line: " + r.err()).doesNotContain("\n");
    }

    /** picocli's own parse errors: one line with the reason and where the usage is. */
    static void expectParseError(CtlRun r, String reason) {
        assertThat(r.exit()).as(r.all()).isEqualTo(Exit.USAGE);
        assertThat(r.err().strip()).as(r.all()).contains(reason).contains("--help").doesNotContain("\n");
    }

    static int patchConfig(LocalNode n, String patch) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(n.restUrl() + "/config")).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(patch)).build();
            return cluster.http.send(req, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
