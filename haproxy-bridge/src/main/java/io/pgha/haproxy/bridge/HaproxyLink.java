package io.pgha.haproxy.bridge;

import io.pgha.haproxy.runtime.HaproxyRejectedException;
import io.pgha.haproxy.runtime.HaproxyUnavailableException;
import io.pgha.haproxy.runtime.MasterCli;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Optional;

/** Whether HAProxy answers, said once per change, and which master process runs it. */
final class HaproxyLink {
    /** The bridge's log: operators follow one logger, whichever part of the bridge speaks. */
    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);

    private final Path runtimeSocket;
    private final MasterCli master;
    private boolean reachable = true;
    private long masterPid = -1;

    HaproxyLink(Path runtimeSocket, MasterCli master) {
        this.runtimeSocket = runtimeSocket;
        this.master = master;
    }

    boolean reachable() {
        return reachable;
    }

    void answered() {
        if (!reachable) {
            LOG.info("HAProxy answers again on {}", runtimeSocket);
        }
        reachable = true;
    }

    void failed(RuntimeException e) {
        if (reachable) {
            LOG.warn("cannot reach HAProxy: {}; retrying every {} ms", e.getMessage(), Bridge.RETRY.toMillis());
        }
        reachable = false;
        masterPid = -1; // when it answers again, find out what it runs before deciding on a reload
    }

    /**
     * HAProxy's processes when its master is one not seen before: the first one, or a new one after a
     * restart; empty when it is the master already known.
     *
     * @throws HaproxyUnavailableException when the master CLI cannot be reached
     * @throws HaproxyRejectedException when it refuses the command
     */
    Optional<MasterCli.Processes> newMaster() {
        MasterCli.Processes now = master.processes();
        long pid = now.masterPid();
        if (pid == masterPid) {
            return Optional.empty();
        }
        if (masterPid != -1) {
            LOG.info("HAProxy master is now pid {} (was {}): restarted", pid, masterPid);
        }
        masterPid = pid;
        return Optional.of(now);
    }
}
