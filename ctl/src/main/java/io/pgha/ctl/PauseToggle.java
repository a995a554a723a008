package io.pgha.ctl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code pause} and {@code resume}: a merge patch of {@code pause} onto the dynamic config, sent to
 * the first member that answers (leader first) so the daemon validates and writes it; with --wait,
 * until every member's {@code /patroni} reports the new mode.
 */
abstract class PauseToggle extends CtlCommand {
    @Option(names = "--wait", description = "Wait until every member reports the new mode.")
    boolean waitForIt;

    @Option(names = "--wait-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Give up waiting after this long (default: ${DEFAULT-VALUE}).")
    long waitTimeout;

    abstract boolean pausing();

    @Override
    int run(Target target) throws InterruptedException {
        boolean pause = pausing();
        String mode = pause ? "paused" : "resumed";
        try (ClusterAccess dcs = ClusterAccess.open(target)) {
            ClusterView view = ClusterView.of(dcs.readExisting(), target.scope());
            if (view.paused() == pause) {
                throw CtlError.usage("cluster " + target.scope() + " is already " + (pause ? "paused" : "not paused") + "; nothing changed");
            }
            RestClient rest = RestClient.of(target);
            JsonObject patch = new JsonObject().put("pause", pause ? Boolean.TRUE : null);
            RestAnswer answer = null;
            List<String> unreachable = new ArrayList<>();
            for (MemberRow m : leaderFirst(view)) {
                try {
                    answer = rest.send("PATCH", m.apiUrl(), "/config", Optional.of(patch), target.timeout());
                    break;
                } catch (RestClient.Unreachable e) {
                    unreachable.add(m.name() + ": " + e.getMessage());
                }
            }
            if (answer == null) {
                throw CtlError.unreachable("no member's REST API answered (" + String.join("; ", unreachable) + ")");
            }
            Answers.require(answer, pause ? "pause" : "resume");
            PrintWriter progress = chatter();
            progress.println("Success: cluster management is " + mode);
            progress.flush();
            List<String> lagging = List.of();
            if (waitForIt) {
                lagging = await(rest, view, pause, progress);
            }
            if (options.json) {
                out().println(new JsonObject().put("paused", pause).put("waited", waitForIt)
                        .put("not_confirmed", new JsonArray(new ArrayList<>(lagging))).encode());
            }
            if (!lagging.isEmpty()) {
                throw CtlError.failed("config written, but after " + waitTimeout + " s these members still do not report "
                        + (pause ? "pause" : "resume") + ": " + String.join(", ", lagging));
            }
            return Exit.OK;
        }
    }

    private static List<MemberRow> leaderFirst(ClusterView view) {
        List<MemberRow> out = new ArrayList<>();
        view.leaderRow().ifPresent(out::add);
        view.members().stream().filter(m -> !out.contains(m)).forEach(out::add);
        return out;
    }

    /** The members that still do not report the mode when the wait ends; empty when all do. */
    private List<String> await(RestClient rest, ClusterView view, boolean pause, PrintWriter progress) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(waitTimeout).toNanos();
        List<String> lagging = lagging(rest, view, pause);
        if (!lagging.isEmpty()) {
            progress.println("Waiting for " + String.join(", ", lagging) + " …");
            progress.flush();
        }
        while (!lagging.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(Followed.POLL.toMillis()); // the polling period
            lagging = lagging(rest, view, pause);
        }
        if (lagging.isEmpty()) {
            progress.println("Every member reports " + (pause ? "pause" : "resume"));
            progress.flush();
        }
        return lagging;
    }

    private static List<String> lagging(RestClient rest, ClusterView view, boolean pause) {
        List<String> out = new ArrayList<>();
        for (MemberRow m : view.members()) {
            boolean reports;
            try {
                RestAnswer a = rest.get(m.apiUrl(), "/patroni");
                reports = a.status() == 200 && a.json().map(j -> Boolean.TRUE.equals(j.getValue("pause")) == pause).orElse(false);
            } catch (RestClient.Unreachable e) {
                reports = false;
            }
            if (!reports) {
                out.add(m.name());
            }
        }
        return out;
    }
}
