package io.pgha.haproxy.bridge;

import io.pgha.haproxy.runtime.HaproxyRejectedException;
import io.pgha.haproxy.runtime.HaproxyUnavailableException;
import io.pgha.haproxy.runtime.MasterCli;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Sessions opened before the last reload live on in the old worker, which the runtime socket no
 * longer reaches: a fenced server's sessions are shut there too, through the master CLI.
 */
final class OldWorkerSessions {
    /** The bridge's log: operators follow one logger, whichever part of the bridge speaks. */
    private static final Logger LOG = LoggerFactory.getLogger(Bridge.class);

    private final MasterCli master;

    OldWorkerSessions(MasterCli master) {
        this.master = master;
    }

    void shutDown(List<ServerAction> fenced) {
        try {
            for (long pid : oldWorkers()) {
                for (ServerAction f : fenced) {
                    int n = master.shutdownSessionsInWorker(pid, f.backend(), f.server());
                    if (n > 0) {
                        LOG.info("shut down {} session(s) on {} in old worker {} (from before a reload)", n, f.target(), pid);
                    }
                }
            }
        } catch (HaproxyUnavailableException | HaproxyRejectedException e) {
            LOG.warn("could not shut down sessions in old HAProxy workers: {}", e.getMessage());
        }
    }

    /** The master re-executes itself on a reload, so its socket can refuse for a few milliseconds. */
    private List<Long> oldWorkers() {
        for (int attempt = 1; ; attempt++) {
            try {
                return master.processes().oldWorkers();
            } catch (HaproxyUnavailableException e) {
                if (attempt == 20) {
                    throw e;
                }
                try {
                    Thread.sleep(25);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
