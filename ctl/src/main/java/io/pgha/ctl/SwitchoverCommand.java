package io.pgha.ctl;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;

/**
 * {@code pgha switchover}: a planned change of leader. Checked here first (nothing is sent for a
 * bad request), confirmed, then sent to the leader, whose phases are shown as they happen.
 */
@Command(name = "switchover", mixinStandardHelpOptions = true,
        description = "Hand the leader role to another member in a planned way (now or scheduled).")
public final class SwitchoverCommand extends CtlCommand {
    @Option(names = {"--leader", "--primary"}, paramLabel = "NAME", description = "The current leader (checked, not chosen).")
    String leader;

    @Option(names = "--candidate", paramLabel = "NAME", description = "The new leader (default: the daemon picks the best replica).")
    String candidate;

    @Option(names = "--scheduled", paramLabel = "ISO8601|now", description = "When, e.g. 2030-01-31T14:00+01:00 (default: now).")
    String scheduled;

    @Option(names = "--force", description = "Do not ask for confirmation.")
    boolean force;

    @Override
    int run(Target target) throws InterruptedException {
        var at = Schedule.parse(scheduled, Instant.now(), ZoneId.systemDefault());
        try (ClusterAccess dcs = ClusterAccess.open(target)) {
            ClusterView view = ClusterView.of(dcs.readExisting(), target.scope());
            SwitchoverCheck check = SwitchoverCheck.of(view, Optional.ofNullable(leader), Optional.ofNullable(candidate), at);
            PrintWriter progress = chatter();
            if (!force) {
                ClusterTable.printList(view, progress);
                prompt().require("Switch over cluster " + target.scope() + " " + check.describe() + "?", "nothing changed");
            }
            MemberRow leaderRow = view.leaderRow().orElseThrow();
            RestClient rest = RestClient.of(target);
            if (at.isPresent()) {
                RestAnswer a = Answers.require(post(rest, leaderRow, check), "switchover");
                if (options.json) {
                    out().println(new JsonObject().put("status", a.status()).put("result", a.body().strip())
                            .put("scheduled_at", at.get().toString()).encode());
                } else {
                    out().println("Switchover " + check.describe().replaceFirst(" at .*$", "") + " scheduled for " + at.get()
                            + " (" + a.reason() + ")");
                }
                return Exit.OK;
            }
            progress.println("Switching over " + check.describe() + " …");
            progress.flush();
            LongRequest r;
            try {
                r = LongRequest.send(rest, leaderRow.apiUrl(), "/switchover", check.body(), progress);
            } catch (RestClient.Unreachable e) {
                throw CtlError.unreachable("leader " + leaderRow.name() + " did not answer: " + e.getMessage());
            }
            r.report("switchover", ClusterView.of(dcs.read(), target.scope()), options.json, out());
            return Exit.OK;
        }
    }

    private static RestAnswer post(RestClient rest, MemberRow leader, SwitchoverCheck check) {
        try {
            return rest.send("POST", leader.apiUrl(), "/switchover", Optional.of(check.body()), LongRequest.WAIT);
        } catch (RestClient.Unreachable e) {
            throw CtlError.unreachable("leader " + leader.name() + " did not answer: " + e.getMessage());
        }
    }
}
