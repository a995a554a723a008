package io.pgha.ctl;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Optional;

/** {@code pgha flush switchover|restart}: cancel a scheduled switchover or scheduled restarts. */
@Command(name = "flush", mixinStandardHelpOptions = true,
        description = "Cancel a scheduled switchover (flush switchover) or scheduled restarts (flush restart [MEMBER…]).")
public final class FlushCommand extends CtlCommand {
    @Parameters(index = "0", paramLabel = "WHAT", description = "switchover or restart")
    String what;

    @Parameters(index = "1..*", paramLabel = "MEMBER", arity = "0..*", description = "With restart: the members (default: all).")
    List<String> members;

    @Override
    int run(Target target) throws InterruptedException {
        if (!what.equals("switchover") && !what.equals("restart")) {
            throw CtlError.usage("flush what? switchover or restart, got \"" + what + "\"");
        }
        try (ClusterAccess dcs = ClusterAccess.open(target)) {
            ClusterView view = ClusterView.of(dcs.readExisting(), target.scope());
            RestClient rest = RestClient.of(target);
            PerMember results = new PerMember("flush " + what, chatter());
            if (what.equals("switchover")) {
                if (members != null && !members.isEmpty()) {
                    throw CtlError.usage("flush switchover takes no member names");
                }
                MemberRow leader = view.leaderRow().orElseThrow(() -> CtlError.usage("cluster " + target.scope()
                        + " has no leader to ask; no switchover can be scheduled"));
                results.attempt(leader, () -> rest.send("DELETE", leader.apiUrl(), "/switchover", Optional.empty(), target.timeout()));
            } else {
                for (MemberRow m : MemberSelection.select(view, members, null)) {
                    results.attempt(m, () -> rest.send("DELETE", m.apiUrl(), "/restart", Optional.empty(), target.timeout()));
                }
            }
            return results.finish(out(), options.json);
        }
    }
}
