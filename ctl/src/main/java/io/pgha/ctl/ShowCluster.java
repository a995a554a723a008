package io.pgha.ctl;

import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** What {@code list} and {@code topology} share: one DCS read rendered, once or refreshed with -W. */
abstract class ShowCluster extends CtlCommand {
    @Option(names = "-W", description = "Refresh every --interval seconds until interrupted.")
    boolean watch;

    @Option(names = {"-w", "--interval"}, paramLabel = "SECONDS", defaultValue = "2",
            description = "Seconds between refreshes with -W (default: ${DEFAULT-VALUE}).")
    double interval;

    /** How many refreshes -W shows before it ends; for scripts and tests, unlimited by default. */
    @Option(names = "--count", hidden = true, defaultValue = "0")
    int count;

    abstract void printText(ClusterView view, PrintWriter out);

    @Override
    int run(Target target) throws InterruptedException {
        if (interval <= 0) {
            throw CtlError.usage("--interval must be positive, got " + interval);
        }
        if (count < 0) {
            throw CtlError.usage("--count must not be negative, got " + count);
        }
        try (ClusterAccess dcs = ClusterAccess.open(target)) {
            boolean clear = watch && !options.json && System.console() != null;
            for (int shown = 1; ; shown++) {
                ClusterView view = ClusterView.of(dcs.readExisting(), target.scope());
                PrintWriter out = out();
                if (clear) {
                    out.print("\033[H\033[2J"); // clear the terminal, as watch(1) does
                }
                if (options.json) {
                    out.println(view.toJson().encode());
                } else {
                    if (watch) {
                        out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " (every " + interval + " s, Ctrl-C ends)");
                    }
                    printText(view, out);
                }
                out.flush();
                if (!watch || (count > 0 && shown >= count)) {
                    return Exit.OK;
                }
                Thread.sleep(Math.round(interval * 1000)); // the refresh period the operator asked for
            }
        }
    }
}
