package io.pgha.ctl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code pgha restart}: restart PostgreSQL on members, one after another, each through its own
 * daemon (which knows whether a restart is safe now); or schedule it.
 */
@Command(name = "restart", mixinStandardHelpOptions = true,
        description = "Restart PostgreSQL on members (all when none are named), now or scheduled.")
public final class RestartCommand extends CtlCommand {
    @Parameters(paramLabel = "MEMBER", arity = "0..*", description = "Members to restart (default: all).")
    List<String> members;

    @Option(names = {"-r", "--role"}, paramLabel = "ROLE", description = "Only members of this role: primary, replica or any.")
    String role;

    @Option(names = "--pending", description = "Only members whose PostgreSQL has settings pending a restart.")
    boolean pending;

    @Option(names = "--scheduled", paramLabel = "ISO8601|now", description = "When, e.g. 2030-01-31T03:00+01:00 (default: now).")
    String scheduled;

    @Option(names = "--force", description = "Do not ask for confirmation; replace an already scheduled restart.")
    boolean force;

    @Override
    int run(Target target) throws InterruptedException {
        Optional<OffsetDateTime> at = Schedule.parse(scheduled, Instant.now(), ZoneId.systemDefault());
        try (ClusterAccess dcs = ClusterAccess.open(target)) {
            ClusterView view = ClusterView.of(dcs.readExisting(), target.scope());
            List<MemberRow> chosen = MemberSelection.select(view, members, role).stream()
                    .filter(m -> !pending || m.pendingRestart()).toList();
            if (at.isPresent() && view.paused()) {
                throw CtlError.usage("cluster " + target.scope() + " is paused: a restart cannot be scheduled then");
            }
            PrintWriter progress = chatter();
            if (chosen.isEmpty()) {
                progress.println("No member to restart" + (pending ? " (none has a pending restart)" : "") + "; nothing done.");
                if (options.json) {
                    out().println(new JsonObject().put("members", new JsonArray()).encode());
                }
                return Exit.OK;
            }
            String names = Candidates.names(chosen);
            if (!force) {
                ClusterTable.printList(view, progress);
                prompt().require("Restart PostgreSQL on " + names + at.map(t -> " at " + t).orElse(" now") + "?", "nothing changed");
            }
            JsonObject body = new JsonObject();
            at.ifPresent(t -> body.put("schedule", t.toString()));
            if (role != null && !role.equalsIgnoreCase("any")) {
                body.put("role", role.toLowerCase(Locale.ROOT).startsWith("replica") || role.equalsIgnoreCase("standby") ? "replica" : "primary");
            }
            if (pending) {
                body.put("restart_pending", true);
            }
            RestClient rest = RestClient.of(target);
            PerMember results = new PerMember("restart", progress);
            for (MemberRow m : chosen) {
                progress.println("Restarting " + m.name() + " …");
                progress.flush();
                results.attempt(m, () -> restart(rest, m, body));
            }
            return results.finish(out(), options.json);
        }
    }

    private RestAnswer restart(RestClient rest, MemberRow m, JsonObject body) throws InterruptedException {
        if (body.containsKey("schedule")) {
            RestAnswer a = rest.send("POST", m.apiUrl(), "/restart", Optional.of(body), LongRequest.WAIT);
            if (a.status() == 409 && force) {
                // patronictl's --force: the new schedule replaces the one already there.
                Answers.require(rest.send("DELETE", m.apiUrl(), "/restart", Optional.empty(), LongRequest.WAIT), "removing the scheduled restart");
                a = rest.send("POST", m.apiUrl(), "/restart", Optional.of(body), LongRequest.WAIT);
            }
            return a;
        }
        return LongRequest.send(rest, m.apiUrl(), "/restart", body, chatter()).answer();
    }
}
