package io.pgha.provision.cli;

import io.pgha.provision.apply.Orchestrator;
import io.pgha.provision.plan.Change;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** `pgha provision plan`: what apply would change, per host, with diffs; changes nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Print, per host, what `apply` would change (packages, directories, files with a diff, units, users and databases) and change nothing. Secrets show as ••••.",
                "Exit: 0; with --check 2 when a host drifted from the inventory; 1 on a bad inventory or an unreachable host."})
public final class PlanCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Targets targets = new Targets();

    @Option(names = "--check", description = "exit 2 when anything would change (drift)")
    boolean check;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        return Failures.guard(spec.commandLine().getErr(), () -> {
            if (targets.sandbox.filter("down"::equals).isPresent()) {
                throw new Session.Failure("--sandbox down belongs to apply: pgha provision apply -i … --sandbox down");
            }
            try (Session s = Session.open(targets)) {
                Map<String, List<Change>> plan = new Orchestrator(s::transport, (h, l) -> { }).plan(s.steps);
                if (targets.json) {
                    PlanReport.json(out, plan);
                } else {
                    PlanReport.text(out, s.inventory, plan);
                }
                return check && PlanReport.count(plan) > 0 ? 2 : 0;
            }
        });
    }
}
