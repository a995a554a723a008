package io.pgha.provision.cli;

import io.pgha.provision.apply.MemberRemoval;
import io.pgha.provision.inventory.PgCluster;
import io.pgha.provision.inventory.PgHost;
import io.pgha.provision.render.Deregistration;
import io.pgha.provision.transport.Transport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** `pgha provision remove -l <host>`: one member out of its cluster, cleanly. */
@Command(name = "remove", mixinStandardHelpOptions = true,
        description = {"Take the member on -l <host> out of its cluster: a primary first switches over to a streaming replica (never the cluster's last primary), then its pgha, VIP and HAProxy units stop and are disabled and its member key leaves the DCS. Its data directory is kept. Then take the host out of the inventory, or the next apply adds it back.",
                "Exit: 0 removed; 1 refused or failed, with the reason."})
public final class RemoveCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Targets targets = new Targets();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        return Failures.guard(spec.commandLine().getErr(), () -> {
            String host = targets.limit.orElseThrow(() -> new Session.Failure("remove needs -l <host>: the member to take out"));
            try (Session s = Session.open(targets, false)) {
                PgCluster cluster = s.inventory.clusterOf(host).orElseThrow(() -> new Session.Failure(
                        "-l " + host + ": not a PostgreSQL member in " + targets.inventory + " (remove takes one host of a pg cluster)"));
                PgHost member = cluster.host(host).orElseThrow();
                Transport t = s.transport(host);
                boolean systemd = t.run("test -d /run/systemd/system", Duration.ofSeconds(30)).ok();
                String name = member.memberName(cluster.name());
                List<String> done = new ArrayList<>(new MemberRemoval(t, systemd, line -> out.println(host + ": " + line))
                        .remove(name, "http://" + host + ":" + cluster.vars().restPort(), Session.HEALTH));
                done.addAll(deregister(s, cluster, member, out));
                out.println("removed " + name + " (" + host + ") from " + cluster.name() + ": " + String.join("; ", done)
                        + "; data directory " + cluster.vars().dataDir() + " kept. Take " + host
                        + " out of the inventory before the next apply.");
                return 0;
            }
        });
    }

    /** The member is out already: a failure here is named, with the command that finishes it by hand. */
    private static List<String> deregister(Session s, PgCluster cluster, PgHost member, PrintWriter out) {
        List<Deregistration.HostCommand> commands = Deregistration.of(s.inventory, cluster, member);
        for (Deregistration.HostCommand c : commands) {
            out.println(c.host() + ": " + c.what());
            Transport.Exec r = s.transport(c.host()).run(c.command(), Duration.ofSeconds(60));
            if (!r.ok()) {
                throw new Session.Failure(member.address() + " is out of " + cluster.name() + ", but on " + c.host() + " '" + c.what()
                        + "' failed: " + (r.stdout() + r.stderr()).strip() + "; finish it there by hand: " + c.command());
            }
        }
        return commands.isEmpty() ? List.of() : List.of("monitoring targets and DNS records taken away");
    }
}
