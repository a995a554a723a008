package io.pgha.cli;

import io.pgha.config.ConfigException;
import io.pgha.config.PghaConfig;
import io.pgha.config.Timing;
import io.pgha.dcs.model.KeyLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Validates a pgha.yml the way the daemon will load it, touching nothing: every problem is printed
 * as {@code path: message} and the exit code is 1; a good file prints what it resolves to.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true, description = "Validate pgha.yml (and PGHA_* environment overrides) without touching anything.")
public final class CheckConfigCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, description = "The pgha.yml to check.")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            PghaConfig cfg = PghaConfig.load(config, System.getenv());
            Timing t = cfg.bootstrapTiming();
            out.println(config + ": OK");
            out.printf("member %s of cluster %s, keys under %s%n", cfg.name(), cfg.scope(), KeyLayout.of(cfg).prefix());
            out.printf("timing (rto %s): ttl %s, loop_wait %s, retry_timeout %s, safety_margin %s, primary_start_timeout %s%n",
                    cfg.bootstrapDcs().rto().key(), secs(t.ttl()), secs(t.loopWait()), secs(t.retryTimeout()),
                    secs(t.safetyMargin()), secs(t.primaryStartTimeout()));
            out.println(cfg.redacted());
            return 0;
        } catch (ConfigException e) {
            err.println(config + ": " + e.problems().size() + " problem(s)");
            e.problems().forEach(p -> err.println("  " + p.path() + ": " + p.message()));
            return 1;
        }
    }

    private static String secs(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() / 1000.0 + "s";
    }
}
