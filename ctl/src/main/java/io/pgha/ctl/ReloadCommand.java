package io.pgha.ctl;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Optional;

/** {@code pgha reload}: make members re-read their configuration (PostgreSQL reload included). */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Reload the configuration of members (all when none are named).")
public final class ReloadCommand extends CtlCommand {
    @Parameters(paramLabel = "MEMBER", arity = "0..*", description = "Members to reload (default: all).")
    List<String> members;

    @Option(names = {"-r", "--role"}, paramLabel = "ROLE", description = "Only members of this role: primary, replica or any.")
    String role;

    @Override
    int run(Target target) throws InterruptedException {
        try (ClusterAccess dcs = ClusterAccess.open(target)) {
            ClusterView view = ClusterView.of(dcs.readExisting(), target.scope());
            List<MemberRow> chosen = MemberSelection.select(view, members, role);
            RestClient rest = RestClient.of(target);
            PerMember results = new PerMember("reload", chatter());
            for (MemberRow m : chosen) {
                results.attempt(m, () -> rest.send("POST", m.apiUrl(), "/reload", Optional.empty(), target.timeout()));
            }
            return results.finish(out(), options.json);
        }
    }
}
