package io.pgha.rest;

import io.pgha.ha.PeerStatus;
import io.pgha.node.NodeStatus;
import io.pgha.node.WatchdogStatus;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The watchdog as /patroni, /metrics and a peer's race see it. */
class WatchdogReportingTest {
    private static NodeStatus with(WatchdogStatus w) {
        NodeStatus s = Fixtures.primary();
        return new NodeStatus(s.scope(), s.name(), s.version(), s.pg(), s.holdsLeaderKey(), s.leaseDeadlineNanos(), s.cluster(),
                s.dcsLastSeenEpochSeconds(), s.dcsRoundTripNanos(), s.lastCycleNanos(), s.ttl(), s.loopWait(), s.tags(), s.paused(),
                s.lastAction(), s.lastReason(), s.memberState(), w);
    }

    @Test
    void anActiveWatchdogIsShownUnderPghaAndInMetrics() {
        NodeStatus s = with(new WatchdogStatus("required", "/dev/watchdog", true, 25, false, ""));
        JsonObject o = StatusJson.render(s, Fixtures.NOW);
        assertThat(o.containsKey("watchdog_failed")).isFalse();
        assertThat(o.getJsonObject("pgha").getJsonObject("watchdog"))
                .isEqualTo(new JsonObject().put("mode", "required").put("active", true).put("timeout", 25).put("device", "/dev/watchdog"));
        String metrics = MetricsText.render(s, Fixtures.NOW);
        assertThat(metrics).contains("pgha_watchdog_active{scope=\"demo\",name=\"node1\"} 1\n")
                .contains("pgha_watchdog_timeout_seconds{scope=\"demo\",name=\"node1\"} 25\n")
                .contains("pgha_watchdog_failed{scope=\"demo\",name=\"node1\"} 0\n");
    }

    @Test
    void aRequiredButFailedWatchdogSetsPatronisFlag() {
        NodeStatus s = with(new WatchdogStatus("required", "/dev/watchdog", false, 0, true,
                "watchdog /dev/watchdog: open failed: No such file or directory (ENOENT, errno 2)"));
        JsonObject o = StatusJson.render(s, Fixtures.NOW);
        assertThat(o.getBoolean("watchdog_failed")).isTrue();
        assertThat(o.getJsonObject("pgha").getJsonObject("watchdog").getString("problem")).contains("ENOENT");
        assertThat(MetricsText.render(s, Fixtures.NOW)).contains("pgha_watchdog_active{scope=\"demo\",name=\"node1\"} 0\n")
                .contains("pgha_watchdog_failed{scope=\"demo\",name=\"node1\"} 1\n");
    }

    @Test
    void withoutAWatchdogTheModeSaysOff() {
        JsonObject o = StatusJson.render(Fixtures.primary(), Fixtures.NOW);
        assertThat(o.getJsonObject("pgha").getJsonObject("watchdog").getString("mode")).isEqualTo("off");
        assertThat(MetricsText.render(Fixtures.primary(), Fixtures.NOW)).contains("pgha_watchdog_active{scope=\"demo\",name=\"node1\"} 0\n");
    }

    @Test
    void aPeerWhoseRequiredWatchdogFailedIsNotARival() {
        PeerStatus p = PeerAnswer.read(200, "{\"state\":\"running\",\"role\":\"replica\",\"xlog\":{\"received_location\":900},"
                + "\"watchdog_failed\":true}");
        assertThat(p).isInstanceOf(PeerStatus.Answered.class);
        assertThat(((PeerStatus.Answered) p).promotable()).isFalse();
    }
}
