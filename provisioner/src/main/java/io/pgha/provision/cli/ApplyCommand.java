package io.pgha.provision.cli;

import io.pgha.provision.apply.ApplyOptions;
import io.pgha.provision.apply.Orchestrator;
import io.pgha.provision.sandbox.Sandbox;
import io.pgha.provision.sandbox.SandboxSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `pgha provision apply`: make the hosts hold what the inventory says, step by step. */
@Command(name = "apply", mixinStandardHelpOptions = true,
        description = {"Bring the hosts to the inventory: the DCS members, then each cluster's primary, its replicas in parallel, VIP and HAProxy bridge, then users and databases; waits for the cluster's own health between steps and stops at the first failure with its name. A running pgha daemon whose files changed is restarted only with --restart (a restart restarts PostgreSQL).",
                "Exit: 0 done; 1 a bad inventory, an unreachable host (nothing changed) or a failed step."})
public final class ApplyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Targets targets = new Targets();

    @Option(names = "--restart", description = "restart running units whose files changed")
    boolean restart;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        return Failures.guard(spec.commandLine().getErr(), () -> {
            if (targets.sandbox.filter("down"::equals).isPresent()) {
                // Down needs no inventory hosts and no valid inventory: it removes whatever carries the name.
                List<String> removed = Sandbox.down(targets.sandboxName, SandboxSpec.defaultStateDir(targets.sandboxName));
                out.println(removed.isEmpty() ? "sandbox " + targets.sandboxName + ": nothing to remove" : String.join("\n", removed));
                return 0;
            }
            try (Session s = Session.open(targets)) {
                long started = System.nanoTime();
                HostLines progress = new HostLines(out, !targets.json && System.console() != null);
                Map<String, Orchestrator.Applied> done = new Orchestrator(s::transport, progress)
                        .apply(s.steps, new ApplyOptions(restart, s.packageFiles, Session.HEALTH));
                double seconds = (System.nanoTime() - started) / 1e9;
                if (targets.json) {
                    ApplyReport.json(out, done, seconds);
                } else {
                    ApplyReport.table(out, done, seconds);
                }
                return 0;
            }
        });
    }
}
