package io.pgha.haproxy.bridge;

import io.pgha.config.RtoPreset;
import io.pgha.dcs.model.Cluster;
import io.pgha.haproxy.config.HaproxySettings;
import io.pgha.haproxy.render.ConfigRenderer;
import io.pgha.haproxy.runtime.ServerState;
import io.pgha.haproxy.topology.Backend;
import io.pgha.haproxy.topology.ClusterTopology;
import io.pgha.haproxy.topology.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The config side of the bridge: renders haproxy.cfg from each read of the cluster and puts it in
 * place when its {@link ReloadSchedule} says so, remembering what HAProxy runs and what
 * {@code haproxy -c} refused, so neither is deployed twice.
 */
final class ConfigRollout {
    /** The bridge's log: operators follow one logger, whichever part of the bridge speaks. */
    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);

    private final HaproxySettings settings;
    private final String scope;
    private final String node;
    private final RtoPreset fileRto;
    private final ConfigDeployer deployer;

    /** The config text HAProxy runs, as far as we know; null when unknown. */
    private String loaded;
    private String desired;
    private String rejected;
    private Topology topology;
    /** When to try putting {@link #desired} in place. */
    private ReloadSchedule schedule = ReloadSchedule.NOTHING_PENDING;

    ConfigRollout(HaproxySettings settings, String scope, String node, RtoPreset fileRto, ConfigDeployer deployer) {
        this.settings = settings;
        this.scope = scope;
        this.node = node;
        this.fileRto = fileRto;
        this.deployer = deployer;
    }

    ReloadSchedule schedule() {
        return schedule;
    }

    void render(Cluster snapshot, long now) {
        ClusterTopology.Result t = ClusterTopology.of(snapshot, settings.checkTiming(), fileRto);
        t.leftOut().forEach(u -> LOG.warn("member {} left out of HAProxy: {}", u.member(), u.reason()));
        topology = t.topology();
        String text = ConfigRenderer.render(settings, scope, node, t.topology());
        if (!text.equals(desired)) {
            desired = text;
            schedule = schedule.rendered(now);
        }
    }

    void leaderMissing(long now) {
        schedule = schedule.leaderMissing(now);
    }

    /**
     * A new master PID means HAProxy was (re)started: its worker read the file on disk, whatever we
     * last loaded, unless the file changed while it was starting. A file written as HAProxy started
     * (the bridge and haproxy.service come up together) may be newer than what it runs; then what it
     * runs is unknown and the rendered config is deployed again.
     */
    void newMaster(Duration workerUptime, long now) {
        loaded = deployer.readBy(workerUptime).orElse(null);
        if (desired != null && !desired.equals(loaded)) {
            schedule = schedule.runningOtherConfig(now);
        }
    }

    /**
     * Deploys the rendered config if it is due; true when HAProxy reloaded on it. {@code knownServers}
     * are the servers HAProxy last reported, to tell which ones the reload adds.
     */
    boolean deployIfDue(long now, boolean leaderKnown, boolean haproxyReachable, List<ServerState> knownServers) {
        boolean newConfig = desired != null && !desired.equals(loaded) && !desired.equals(rejected);
        ReloadSchedule.Decision decision = schedule.decide(now, newConfig, leaderKnown);
        schedule = decision.next();
        if (decision.verdict() != ReloadSchedule.Verdict.DEPLOY) {
            return false;
        }
        if (!haproxyReachable && desired.equals(deployer.current().orElse(null))) {
            return false; // already on disk for when HAProxy starts
        }
        String before = loaded;
        ConfigDeployer.Outcome outcome = deployer.deploy(desired, newNonLeaders(knownServers));
        if (outcome instanceof ConfigDeployer.Outcome.Reloaded r) {
            loaded = desired;
            LOG.info("HAProxy reloaded on the new config (worker {} → {}): {}", r.previousWorkerPid(), r.workerPid(), summary(before, desired));
            return true;
        } else if (outcome instanceof ConfigDeployer.Outcome.WrittenOnly w) {
            LOG.warn("wrote {} but could not reload HAProxy ({}); it will read the file when it starts", settings.configFile(), w.why());
        } else if (outcome instanceof ConfigDeployer.Outcome.Invalid i) {
            rejected = desired;
            LOG.error("rendered config refused by haproxy -c, keeping the previous one: {}", i.haproxyOutput().replace('\n', ' '));
        } else if (outcome instanceof ConfigDeployer.Outcome.ReloadFailed f) {
            LOG.error("HAProxy reload failed: {}; retrying in {} ms", f.why(), Bridge.RETRY.toMillis());
            loaded = null;
            schedule = schedule.reloadFailed(now);
        }
        return false;
    }

    /** Servers the reload adds to leader-only services for members other than the leader: they must start down. */
    private List<ConfigDeployer.StartDown> newNonLeaders(List<ServerState> knownServers) {
        List<ConfigDeployer.StartDown> out = new ArrayList<>();
        for (Backend b : Backend.of(scope, settings.services(), topology)) {
            if (!b.service().leaderOnly()) {
                continue;
            }
            for (Backend.Server s : b.servers()) {
                boolean known = knownServers.stream().anyMatch(st -> st.backend().equals(b.proxy()) && st.server().equals(s.name()));
                if (!known && !topology.isLeader(s.name())) {
                    out.add(new ConfigDeployer.StartDown(b.proxy(), s.name(), s.member().host(),
                            b.service().destination().port(s.member().postgresPort()), s.member().restPort(), ConfigRenderer.weight(s.member())));
                }
            }
        }
        return out;
    }

    /** The members line of the rendered config, which is what changed for the reader of the log. */
    private static String summary(String before, String after) {
        String now = after.lines().filter(l -> l.startsWith("# members:")).findFirst().orElse("").replace("# ", "");
        String was = before == null ? "unknown" : before.lines().filter(l -> l.startsWith("# members:")).findFirst().orElse("")
                .replace("# members: ", "");
        return now + " (was " + was + ")";
    }
}
