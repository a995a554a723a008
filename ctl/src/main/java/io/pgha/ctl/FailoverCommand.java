package io.pgha.ctl;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code pgha failover --candidate Y}: make Y the leader, meant for when there is no healthy
 * leader. Sent to the candidate itself, or to any member that answers when the candidate's REST
 * API does not.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
        description = "Promote a named member, typically when there is no healthy leader.")
public final class FailoverCommand extends CtlCommand {
    @Option(names = "--candidate", required = true, paramLabel = "NAME", description = "The member to promote.")
    String candidate;

    @Option(names = "--force", description = "Do not ask for confirmation.")
    boolean force;

    @Override
    int run(Target target) throws InterruptedException {
        try (ClusterAccess dcs = ClusterAccess.open(target)) {
            ClusterView view = ClusterView.of(dcs.readExisting(), target.scope());
            MemberRow c = Candidates.member(view, candidate);
            if (view.leader().filter(c.name()::equals).isPresent()) {
                throw CtlError.usage(c.name() + " is already the leader");
            }
            if (!Candidates.mayPromote(c)) {
                throw CtlError.usage(c.name() + " may never be promoted (tag nofailover or failover_priority 0)");
            }
            PrintWriter progress = chatter();
            if (!force) {
                ClusterTable.printList(view, progress);
                prompt().require("Fail over cluster " + target.scope() + " to " + c.name()
                        + view.leader().map(l -> ", demoting the current leader " + l).orElse("") + "?", "nothing changed");
            }
            JsonObject body = new JsonObject().put("candidate", c.name());
            RestClient rest = RestClient.of(target);
            List<MemberRow> order = new ArrayList<>(List.of(c));
            view.members().stream().filter(m -> m != c).forEach(order::add);
            List<String> unreachable = new ArrayList<>();
            for (MemberRow m : order) {
                progress.println("Failing over to " + c.name() + " (asking " + m.name() + ") …");
                progress.flush();
                LongRequest r;
                try {
                    r = LongRequest.send(rest, m.apiUrl(), "/failover", body, progress);
                } catch (RestClient.Unreachable e) {
                    unreachable.add(m.name() + ": " + e.getMessage());
                    continue;
                }
                r.report("failover", ClusterView.of(dcs.read(), target.scope()), options.json, out());
                return Exit.OK;
            }
            throw CtlError.unreachable("no member's REST API answered (" + String.join("; ", unreachable) + ")");
        }
    }
}
