package io.pgha.ctl;

import io.pgha.dcs.Expect;
import io.pgha.dcs.MemberSession;
import io.pgha.dcs.etcd.EtcdDcs;
import io.pgha.dcs.etcd.EtcdSettings;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.KeyLayout;
import io.pgha.dcs.model.MemberData;
import io.pgha.launch.EtcdCluster;
import io.pgha.launch.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI's requests and its reading of the answers, for the endpoints the daemon does not have
 * yet: a real etcd holds the cluster (members published with leases, as daemons do), and each
 * member's REST API is a {@link StubDaemon} scripted per test. Proves request bodies, basic auth,
 * phases printed while the request runs, and the exit code of every kind of answer.
 */
class CommandsAgainstStubDaemonTest {
    static EtcdCluster etcd;
    static EtcdDcs dcs;
    static EtcdDcs deadDcs;
    static final List<MemberSession> sessions = new ArrayList<>();
    static final StubDaemon n1 = new StubDaemon();
    static final StubDaemon n2 = new StubDaemon();
    static final StubDaemon n3 = new StubDaemon();
    static final StubDaemon d3 = new StubDaemon();
    static final String AUTH = "Basic " + Base64.getEncoder().encodeToString("admin:secret".getBytes(StandardCharsets.UTF_8));

    @BeforeAll
    static void cluster() {
        etcd = EtcdCluster.start(1);
        dcs = dcs("stub");
        dcs.write(ClusterKey.INITIALIZE, "7268616322854375442", Expect.anything());
        dcs.write(ClusterKey.CONFIG, "{\"rto\":\"fast\"}", Expect.anything());
        publish(dcs, "n1", n1.apiUrl(), "primary", false).takeLeader();
        publish(dcs, "n2", n2.apiUrl(), "replica", false);
        publish(dcs, "n3", n3.apiUrl(), "replica", true);
        // A second cluster whose leader and candidate do not answer at all.
        deadDcs = dcs("dead");
        deadDcs.write(ClusterKey.CONFIG, "{}", Expect.anything());
        publish(deadDcs, "d1", "http://127.0.0.1:" + Ports.free() + "/patroni", "primary", false).takeLeader();
        publish(deadDcs, "d2", "http://127.0.0.1:" + Ports.free() + "/patroni", "replica", false);
        publish(deadDcs, "d3", d3.apiUrl(), "replica", false);
    }

    @AfterAll
    static void stop() {
        sessions.forEach(MemberSession::close);
        Stream.of(n1, n2, n3, d3).forEach(StubDaemon::close);
        if (dcs != null) {
            dcs.close();
            deadDcs.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @BeforeEach
    void resetStubs() {
        Stream.of(n1, n2, n3, d3).forEach(StubDaemon::reset);
        dcs.write(ClusterKey.CONFIG, "{\"rto\":\"fast\"}", Expect.anything());
    }

    static EtcdDcs dcs(String scope) {
        return new EtcdDcs(new KeyLayout("/service", scope), EtcdSettings.plain(etcd.clientUrls(), Duration.ofSeconds(5)));
    }

    static MemberSession publish(EtcdDcs d, String name, String apiUrl, String role, boolean pendingRestart) {
        MemberSession s = d.openSession(name, 60);
        sessions.add(s);
        boolean replica = role.equals("replica");
        s.publish(new MemberData("postgres://127.0.0.1:5432/postgres", apiUrl, "running", role, "0.1.0", Optional.of(100L), Optional.of(1L),
                replica ? Optional.of("streaming") : Optional.empty(), Optional.empty(), Optional.empty(), Map.of(),
                pendingRestart, false, Map.of()));
        return s;
    }

    static CtlRun ctl(String... args) {
        return CtlRun.pgha(with(args));
    }

    static String[] with(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--dcs", "etcd3://" + etcd.hosts(), "--scope", "stub", "--user", "admin", "--password", "secret"));
        return all.toArray(String[]::new);
    }

    static String[] dead(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--dcs", "etcd3://" + etcd.hosts(), "--scope", "dead", "--timeout", "1"));
        return all.toArray(String[]::new);
    }

    static JsonObject op(String id, String state, List<String> phases) {
        JsonArray ps = new JsonArray();
        for (int i = 0; i < phases.size(); i++) {
            ps.add(new JsonObject().put("phase", phases.get(i)).put("at", "2030-01-01T10:00:0" + i + ".000Z").put("detail", i == 3 ? "0/5000028" : ""));
        }
        return new JsonObject().put("id", id).put("kind", "switchover").put("from", "n1").put("to", "n2").put("state", state)
                .put("started", "2030-01-01T10:00:00Z").put("phases", ps);
    }

    @Test
    void switchoverPrintsEachPhaseWhileTheRequestRunsThenTheNewTable() {
        List<String> phases = List.of("requested", "checkpoint", "stopping", "stopped", "handed over", "promoted", "following");
        AtomicReference<JsonObject> current = new AtomicReference<>(op("earlier", "succeeded", List.of("an earlier phase")));
        Semaphore served = new Semaphore(0);
        n1.on("GET /operation", r -> {
            JsonObject o = current.get();
            served.release();
            return new StubDaemon.Response(200, o.encode());
        });
        n1.on("POST /switchover", r -> {
            // Each phase appears only after the CLI has seen the previous one: a CLI that does not
            // poll while its request runs makes this answer 503.
            for (int k = 1; k <= phases.size(); k++) {
                current.set(op("op-2", k == phases.size() ? "succeeded" : "running", phases.subList(0, k)));
                served.drainPermits();
                if (!served.tryAcquire(5, TimeUnit.SECONDS)) {
                    return new StubDaemon.Response(503, "the CLI did not poll /operation");
                }
            }
            return new StubDaemon.Response(200, "Successfully switched over to \"n2\"");
        });
        CtlRun r = ctl("switchover", "--candidate", "n2", "--force");
        assertThat(r.exit()).as(r.all()).isZero();
        StubDaemon.Request post = n1.requests("POST /switchover").get(0);
        assertThat(new JsonObject(post.body())).isEqualTo(new JsonObject().put("leader", "n1").put("candidate", "n2"));
        assertThat(post.authorization()).isEqualTo(AUTH);
        List<String> printed = r.out().lines().filter(l -> l.startsWith("  ")).map(l -> l.substring(l.indexOf("  ", 2) + 2)).toList();
        assertThat(printed).containsExactly("requested", "checkpoint", "stopping", "stopped  (0/5000028)", "handed over", "promoted", "following");
        assertThat(r.out()).doesNotContain("an earlier phase");
        assertThat(r.out().indexOf("following")).isLessThan(r.out().indexOf("Successfully switched over to \"n2\""));
        assertThat(r.out()).contains("Cluster: stub (system id 7268616322854375442)");
    }

    @Test
    void switchoverJsonIsOneDocumentWithResultOperationAndCluster() {
        n1.on("GET /operation", 200, op("op-3", "succeeded", List.of("requested", "promoted")).encode());
        n1.on("POST /switchover", 200, "Successfully switched over to \"n3\"");
        CtlRun r = ctl("switchover", "--leader", "n1", "--candidate", "n3", "--force", "--json");
        assertThat(r.exit()).as(r.all()).isZero();
        JsonObject j = new JsonObject(r.out());
        assertThat(j.fieldNames()).containsExactly("status", "result", "operation", "cluster");
        assertThat(j.getString("result")).isEqualTo("Successfully switched over to \"n3\"");
        assertThat(j.getJsonObject("cluster").getString("leader")).isEqualTo("n1");
    }

    @Test
    void scheduledSwitchoverSendsTheTimeAndReportsTheSchedule() {
        n1.on("POST /switchover", 202, "Switchover scheduled");
        CtlRun r = ctl("switchover", "--candidate", "n2", "--scheduled", "2099-01-01T00:00+00:00", "--force");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(new JsonObject(n1.requests("POST /switchover").get(0).body()).getString("scheduled_at")).isEqualTo("2099-01-01T00:00Z");
        assertThat(r.out()).contains("scheduled for 2099-01-01T00:00Z");
    }

    @Test
    void answersMapToExitCodes() {
        n1.on("POST /switchover", 412, "candidate n2 is lagging 20 MB behind");
        CtlRun refused = ctl("switchover", "--candidate", "n2", "--force");
        assertThat(refused.exit()).isEqualTo(Exit.USAGE);
        assertThat(refused.err().strip()).isEqualTo("pgha switchover: switchover refused (HTTP 412): candidate n2 is lagging 20 MB behind; nothing changed");

        n1.on("POST /switchover", 503, "Switchover failed");
        assertThat(ctl("switchover", "--candidate", "n2", "--force").exit()).isEqualTo(Exit.FAILED);

        n1.on("POST /switchover", 401, "authentication required");
        CtlRun auth = ctl("switchover", "--candidate", "n2", "--force");
        assertThat(auth.exit()).isEqualTo(Exit.USAGE);
        assertThat(auth.err()).contains("--user/--password");

        n1.reset();
        CtlRun missing = ctl("switchover", "--candidate", "n2", "--force");
        assertThat(missing.exit()).isEqualTo(Exit.FAILED);
        assertThat(missing.err()).contains("no such endpoint");
    }

    @Test
    void anUnreachableLeaderIsExit3() {
        CtlRun r = CtlRun.pgha(dead("switchover", "--candidate", "d3", "--force"));
        assertThat(r.exit()).as(r.all()).isEqualTo(Exit.UNREACHABLE);
        assertThat(r.err()).contains("leader d1 did not answer");
    }

    @Test
    void declinedConfirmationSendsNothing() {
        CtlRun r = CtlRun.withInput("n\n", with("switchover", "--candidate", "n2"));
        assertThat(r.exit()).as(r.all()).isEqualTo(Exit.FAILED);
        assertThat(r.out()).contains("Switch over cluster stub from n1 to n2 now? [y/N]");
        assertThat(r.err()).contains("aborted, nothing changed");
        assertThat(n1.requests).isEmpty();
    }

    @Test
    void failoverGoesToAnyMemberThatAnswersWhenTheCandidateDoesNot() {
        d3.on("POST /failover", 200, "Successfully failed over to \"d2\"");
        CtlRun r = CtlRun.pgha(dead("failover", "--candidate", "d2", "--force"));
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(new JsonObject(d3.requests("POST /failover").get(0).body())).isEqualTo(new JsonObject().put("candidate", "d2"));
        assertThat(r.out()).contains("Successfully failed over to \"d2\"");
    }

    @Test
    void restartFiltersByRoleAndPendingAndSendsTheConditions() {
        n3.on("POST /restart", 200, "restarted successfully");
        CtlRun r = ctl("restart", "--role", "replica", "--pending", "--force");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(n1.requests("POST /restart")).isEmpty();
        assertThat(n2.requests("POST /restart")).isEmpty();
        assertThat(new JsonObject(n3.requests("POST /restart").get(0).body()))
                .isEqualTo(new JsonObject().put("role", "replica").put("restart_pending", true));
        assertThat(r.out()).contains("n3: restarted successfully");
    }

    @Test
    void forcedScheduledRestartReplacesTheOneAlreadyScheduled() {
        AtomicBoolean deleted = new AtomicBoolean();
        n2.on("POST /restart", r -> new StubDaemon.Response(deleted.get() ? 202 : 409, deleted.get() ? "restart scheduled" : "Another restart is already scheduled"));
        n2.on("DELETE /restart", r -> {
            deleted.set(true);
            return new StubDaemon.Response(200, "scheduled restart deleted");
        });
        CtlRun r = ctl("restart", "n2", "--scheduled", "2099-01-01T03:00Z", "--force");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(n2.requests).extracting(q -> q.method() + " " + q.path()).containsExactly("POST /restart", "DELETE /restart", "POST /restart");
        assertThat(new JsonObject(n2.requests.get(2).body())).isEqualTo(new JsonObject().put("schedule", "2099-01-01T03:00Z"));
    }

    @Test
    void restartReportsEachMemberAndFailsWhenOneFails() {
        n1.on("POST /restart", 200, "restarted successfully");
        n2.on("POST /restart", 503, "restart failed");
        n3.on("POST /restart", 200, "restarted successfully");
        CtlRun r = ctl("restart", "--force", "--json");
        assertThat(r.exit()).as(r.all()).isEqualTo(Exit.FAILED);
        JsonArray members = new JsonObject(r.out()).getJsonArray("members");
        assertThat(members.stream().map(o -> ((JsonObject) o).getBoolean("ok")).toList()).containsExactly(true, false, true);
    }

    @Test
    void reinitWaitFollowsTheOperationToItsEnd() {
        AtomicReference<JsonObject> current = new AtomicReference<>();
        n2.on("GET /operation", r -> current.get() == null ? new StubDaemon.Response(404, "no operation")
                : new StubDaemon.Response(200, current.get().encode()));
        n2.on("POST /reinitialize", r -> {
            current.set(op("re-1", "running", List.of("requested")).put("kind", "reinitialize"));
            Thread t = new Thread(() -> current.set(op("re-1", "succeeded", List.of("requested", "cloned", "started"))
                    .put("kind", "reinitialize").put("result", "streaming from n1")));
            t.start();
            return new StubDaemon.Response(200, "reinitialize started");
        });
        CtlRun r = ctl("reinit", "n2", "--force", "--wait");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(new JsonObject(n2.requests("POST /reinitialize").get(0).body())).isEqualTo(new JsonObject().put("force", false));
        assertThat(r.out()).contains("cloned", "n2: reinitialized: streaming from n1");
    }

    @Test
    void reinitOfTheLeaderIsRefusedBeforeAnythingIsSent() {
        CtlRun r = ctl("reinit", "n1", "--force");
        assertThat(r.exit()).isEqualTo(Exit.USAGE);
        assertThat(r.err()).contains("n1 is the leader");
        assertThat(n1.requests).isEmpty();
    }

    @Test
    void reloadAsksEveryMember() {
        Stream.of(n1, n2, n3).forEach(s -> s.on("POST /reload", 202, "reload scheduled"));
        CtlRun r = ctl("reload");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("n1: reload scheduled", "n2: reload scheduled", "n3: reload scheduled");
        assertThat(n2.requests("POST /reload").get(0).authorization()).isEqualTo(AUTH);
    }

    @Test
    void pausePatchesTheLeaderAndWaitsUntilEveryMemberReportsIt() {
        AtomicBoolean paused = new AtomicBoolean();
        n1.on("PATCH /config", r -> {
            paused.set(true);
            return new StubDaemon.Response(200, "{\"pause\":true}");
        });
        Stream.of(n1, n2, n3).forEach(s -> s.on("GET /patroni", r -> new StubDaemon.Response(200,
                paused.get() ? "{\"state\":\"running\",\"pause\":true}" : "{\"state\":\"running\"}")));
        CtlRun r = ctl("pause", "--wait");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(new JsonObject(n1.requests("PATCH /config").get(0).body())).isEqualTo(new JsonObject().put("pause", true));
        assertThat(n1.requests("PATCH /config").get(0).authorization()).isEqualTo(AUTH);
        assertThat(r.out()).contains("Every member reports pause");
    }

    @Test
    void resumeSendsNullAndNamesTheMembersThatNeverReportIt() {
        dcs.write(ClusterKey.CONFIG, "{\"rto\":\"fast\",\"pause\":true}", Expect.anything());
        n1.on("PATCH /config", 200, "{}");
        n1.on("GET /patroni", 200, "{\"state\":\"running\"}");
        n2.on("GET /patroni", 200, "{\"state\":\"running\"}");
        n3.on("GET /patroni", 200, "{\"state\":\"running\",\"pause\":true}");
        CtlRun r = ctl("resume", "--wait", "--wait-timeout", "1");
        assertThat(r.exit()).as(r.all()).isEqualTo(Exit.FAILED);
        assertThat(n1.requests("PATCH /config").get(0).body()).isEqualTo("{\"pause\":null}");
        assertThat(r.err()).contains("still do not report resume: n3");
    }

    @Test
    void flushSwitchoverWithNothingScheduledIsRefused() {
        n1.on("DELETE /switchover", 404, "no switchover is scheduled");
        CtlRun r = ctl("flush", "switchover");
        assertThat(r.exit()).as(r.all()).isEqualTo(Exit.USAGE);
        assertThat(r.out()).contains("no switchover is scheduled");
    }
}
