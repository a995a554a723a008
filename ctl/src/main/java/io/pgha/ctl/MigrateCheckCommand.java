package io.pgha.ctl;

import io.pgha.dcs.model.Cluster;
import io.pgha.dcs.model.Member;
import io.pgha.dcs.model.Versioned;
import io.pgha.migrate.Finding;
import io.pgha.migrate.MixedPeriodCheck;
import picocli.CommandLine.Command;

import java.util.List;

/**
 * {@code pgha migrate check}: before the first Patroni node is switched, what in the live cluster's
 * DCS config a Patroni member and a pgha member would read differently. Exit 1 when something must
 * be changed first.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Report what Patroni and pgha members would read differently in the live cluster's DCS config.")
public final class MigrateCheckCommand extends CtlCommand {
    @Override
    int run(Target target) {
        try (ClusterAccess dcs = ClusterAccess.open(target)) {
            Cluster cluster = dcs.readExisting();
            Versioned<String> config = cluster.config().orElseThrow(() ->
                    CtlError.failed("the DCS has no config key for " + target.scope() + " (not bootstrapped yet?)"));
            out().println("cluster " + target.scope() + ", leader " + cluster.leaderName().orElse("(none)") + ":");
            for (Member m : cluster.members().values()) {
                out().println("  member " + m.name() + ": " + m.data().role() + ", " + m.data().state() + ", version "
                        + (m.data().version().isBlank() ? "?" : m.data().version()));
            }
            List<Finding> findings = MixedPeriodCheck.of(ConfigYaml.fromJson(config.value()));
            long fixFirst = findings.stream().filter(f -> f.weight() == Finding.Weight.FIX_FIRST).count();
            for (Finding f : findings) {
                out().println((f.weight() == Finding.Weight.FIX_FIRST ? "FIX FIRST " : "note      ") + f.key() + ": " + f.text());
            }
            out().println(fixFirst == 0
                    ? "nothing to change before the first node switches"
                    : fixFirst + " difference(s) to settle before the first node switches");
            return fixFirst == 0 ? Exit.OK : Exit.FAILED;
        }
    }
}
