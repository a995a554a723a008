package io.pgha.cli;

import io.pgha.config.ConfigException;
import io.pgha.config.PghaConfig;
import io.pgha.daemon.Daemon;
import io.pgha.postgres.PgUserException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** `pgha daemon -c pgha.yml`: the HA daemon of one node, until SIGTERM. */
@Command(name = "daemon", mixinStandardHelpOptions = true, description = "Run the HA daemon for this node (one per PostgreSQL node).")
public final class DaemonCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonCommand.class);

    @Option(names = {"-c", "--config"}, required = true, description = "pgha.yml of this node.")
    Path config;

    @Override
    public Integer call() throws Exception {
        PghaConfig cfg;
        try {
            cfg = PghaConfig.load(config, System.getenv());
        } catch (ConfigException e) {
            System.err.println("pgha daemon: " + config + " is invalid:");
            e.problems().forEach(p -> System.err.println("  " + p));
            return 1;
        }
        Daemon daemon;
        RestWiring wiring = new RestWiring();
        try {
            daemon = Daemon.start(cfg, wiring.peers(cfg.restapi()), wiring::start);
        } catch (Daemon.RefusedToStart | PgUserException e) {
            LOG.error("not starting: {}", e.getMessage());
            System.err.println("pgha daemon: not starting: " + e.getMessage());
            wiring.close();
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "shutdown"));
        daemon.awaitTermination();
        return 0;
    }
}
