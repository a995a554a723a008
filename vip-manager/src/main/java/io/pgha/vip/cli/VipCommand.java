package io.pgha.vip.cli;

import io.pgha.config.ConfigException;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.DcsException;
import io.pgha.vip.VipConfig;
import io.pgha.vip.VipKeeper;
import io.pgha.vip.net.NetException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code pgha vip -c vip.yml}: holds the cluster VIP on this node while the leader key names it,
 * until SIGTERM, which releases the VIP. Takes vip-manager's configuration file. A bad file, a
 * missing interface or a missing capability is one clear message and exit code 1.
 */
@Command(name = "vip", mixinStandardHelpOptions = true, description = "Hold the cluster VIP on this node while it is the leader (vip-manager compatible config).")
public final class VipCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, description = "vip-manager style YAML (ip, netmask, interface, trigger-key, ...).")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        VipConfig cfg;
        try {
            cfg = VipConfig.load(config);
        } catch (ConfigException e) {
            err.println("pgha vip: " + config + " is invalid:");
            e.problems().forEach(p -> err.println("  " + p.path() + ": " + p.message()));
            err.flush();
            return 1;
        }
        Dcs dcs;
        try {
            dcs = Dcs.open(cfg.layout(), cfg.dcs(), cfg.dcsTimeout());
        } catch (DcsException e) {
            err.println("pgha vip: not starting: " + e.getMessage());
            err.flush();
            return 1;
        }
        VipKeeper keeper;
        try {
            keeper = VipKeeper.start(cfg, dcs, cfg.triggerValue());
        } catch (NetException e) {
            dcs.close();
            err.println("pgha vip: not starting: " + e.getMessage());
            err.flush();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            keeper.close(); // releases the VIP before the process goes
            dcs.close();
            stopped.countDown();
        }, "pgha-vip-stop"));
        stopped.await();
        return 0;
    }
}
