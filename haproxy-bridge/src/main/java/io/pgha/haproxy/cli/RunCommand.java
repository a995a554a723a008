package io.pgha.haproxy.cli;

import io.pgha.config.ConfigException;
import io.pgha.dcs.Dcs;
import io.pgha.haproxy.bridge.Bridge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code pgha haproxy run} (also plain {@code pgha haproxy}): the bridge, until SIGTERM. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Keep this node's HAProxy in step with the DCS (its own systemd unit).")
public final class RunCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, description = "pgha.yml of this node.")
    Path config;

    @Override
    public Integer call() throws Exception {
        return run(config);
    }

    static int run(Path config) throws InterruptedException {
        NodeSetup node;
        try {
            node = NodeSetup.load(config);
        } catch (ConfigException e) {
            System.err.println("pgha haproxy: " + config + " is invalid:");
            e.problems().forEach(p -> System.err.println("  " + p));
            return 1;
        }
        Dcs dcs = node.openDcs();
        Bridge bridge = new Bridge(node.haproxy(), node.config().scope(), node.config().name(), node.config().bootstrapDcs().rto(), dcs)
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            bridge.close();
            dcs.close();
        }, "shutdown"));
        bridge.awaitTermination();
        return 0;
    }
}
