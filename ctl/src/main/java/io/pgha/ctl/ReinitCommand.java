package io.pgha.ctl;

import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * {@code pgha reinit}: throw a replica's data away and clone it again from the leader. Refused for
 * the leader here already (it would have nothing to clone from).
 */
@Command(name = "reinit", mixinStandardHelpOptions = true,
        description = "Rebuild replicas from the leader (their data directory is replaced).")
public final class ReinitCommand extends CtlCommand {
    /** How long the member may take to show the operation it started; longer means it runs none. */
    static final Duration SHOWS_UP = Duration.ofSeconds(10);

    @Parameters(paramLabel = "MEMBER", arity = "1..*", description = "Replicas to rebuild.")
    List<String> members;

    @Option(names = "--force", description = "Do not ask for confirmation.")
    boolean force;

    @Option(names = "--wait", description = "Wait until each rebuild is over, showing its phases.")
    boolean waitForIt;

    @Override
    int run(Target target) throws InterruptedException {
        try (ClusterAccess dcs = ClusterAccess.open(target)) {
            ClusterView view = ClusterView.of(dcs.readExisting(), target.scope());
            List<MemberRow> chosen = new LinkedHashSet<>(members).stream().map(n -> Candidates.member(view, n)).toList();
            for (MemberRow m : chosen) {
                if (m.isLeader()) {
                    throw CtlError.usage(m.name() + " is the leader: reinit rebuilds a replica from the leader, so it cannot rebuild the leader");
                }
            }
            PrintWriter progress = chatter();
            if (!force) {
                prompt().require("Rebuild " + Candidates.names(chosen) + " from the leader? Their data directories are replaced.", "nothing changed");
            }
            RestClient rest = RestClient.of(target);
            PerMember results = new PerMember("reinit", progress);
            for (MemberRow m : chosen) {
                results.attempt(m, () -> reinit(rest, m, progress));
            }
            return results.finish(out(), options.json);
        }
    }

    private RestAnswer reinit(RestClient rest, MemberRow m, PrintWriter progress) throws InterruptedException {
        OperationWatch watch = new OperationWatch(rest, m.apiUrl(), progress);
        if (waitForIt) {
            watch.baseline();
        }
        RestAnswer a = rest.send("POST", m.apiUrl(), "/reinitialize", Optional.of(new JsonObject().put("force", false)), LongRequest.WAIT);
        if (!waitForIt || !a.ok()) {
            return a;
        }
        progress.println(m.name() + ": " + a.reason() + "; waiting until it is over …");
        progress.flush();
        long showsUpBy = System.nanoTime() + SHOWS_UP.toNanos();
        while (true) {
            watch.poll();
            Optional<Operation> op = watch.operation();
            if (op.isPresent() && !op.get().running()) {
                String result = op.get().result().orElse(op.get().state());
                return "succeeded".equals(op.get().state()) ? new RestAnswer(200, "reinitialized: " + result)
                        : new RestAnswer(503, "reinit " + op.get().state() + ": " + result);
            }
            if (op.isEmpty() && System.nanoTime() > showsUpBy) {
                return new RestAnswer(503, "the member shows no reinit operation " + SHOWS_UP.toSeconds() + " s after accepting it");
            }
            Thread.sleep(Followed.POLL.toMillis()); // the polling period
        }
    }
}
