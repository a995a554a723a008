package io.pgha.daemon;

import io.pgha.demo.DaemonJvm;
import io.pgha.demo.LocalNode;
import io.pgha.launch.ChildProcess;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One real daemon (the shaded jar, PostgreSQL 15, a 3-member etcd) run as systemd's Type=notify with
 * WatchdogSec= would run it: NOTIFY_SOCKET names a socket this test listens on, as systemd does.
 */
class SystemdNotifyIT {
    static final Duration BOOT = Duration.ofSeconds(90);
    static final Duration CYCLE = Duration.ofSeconds(30);

    @Test
    void readyOnceItLeadsThenEachDecisionAsStatusWatchdogPingsAndStoppingOnSigterm() throws Exception {
        try (LocalCluster cluster = new LocalCluster(1, "fast", "");
             NotifySocketListener systemd = NotifySocketListener.bind(cluster.dir.resolve("notify").toString())) {
            LocalNode node = cluster.nodes.get(0);
            List<String> command = new ArrayList<>(LocalCluster.java());
            command.addAll(List.of("daemon", "-c", node.config().toString()));
            Map<String, String> env = new HashMap<>(DaemonJvm.ENVIRONMENT);
            env.put("NOTIFY_SOCKET", systemd.path());
            env.put("WATCHDOG_USEC", "2000000"); // WatchdogSec=2: a ping every second
            ChildProcess daemon = ChildProcess.start("pgha-" + node.name(), command, node.daemonLog(), env);
            cluster.daemons.put(node.name(), daemon); // stopped by PID in close(), also when an assertion fails

            cluster.dumpOnFailure(() -> systemd.await("READY=1"::equals, BOOT));
            assertThat(node.restStatus(cluster.http, "GET", "/liveness")).as("the REST API answers once READY=1 is sent").isEqualTo(200);
            String leading = cluster.dumpOnFailure(() -> systemd.await(m -> m.startsWith("STATUS=keep leading"), CYCLE));
            assertThat(leading).doesNotContain("\n");
            cluster.dumpOnFailure(() -> systemd.await("WATCHDOG=1"::equals, CYCLE));

            daemon.stop(Duration.ofSeconds(20)); // SIGTERM, as systemctl stop sends; returns once it exited
            cluster.daemons.remove(node.name());
            cluster.dumpOnFailure(() -> systemd.await("STOPPING=1"::equals, CYCLE));
            while (systemd.next(Duration.ofMillis(500)).isPresent()) {
                // the daemon has exited: whatever it sent is queued already, read it all
            }
            // PostgreSQL 15 is built with systemd support and would add a READY=1 and a STOPPING=1 of its own.
            assertThat(systemd.received().stream().filter("READY=1"::equals)).as("READY=1 once").hasSize(1);
            assertThat(systemd.received().stream().filter("STOPPING=1"::equals)).as("STOPPING=1 once").hasSize(1);
            assertThat(systemd.received().get(systemd.received().size() - 1)).as("nothing after STOPPING=1").isEqualTo("STOPPING=1");
            assertThat(daemon.exitCode()).as("a clean shutdown").isIn(0, 143);
        }
    }
}
