package io.pgha.haproxy.cli;

import io.pgha.config.ConfigException;
import io.pgha.dcs.Consistency;
import io.pgha.dcs.Dcs;
import io.pgha.dcs.DcsException;
import io.pgha.dcs.model.Cluster;
import io.pgha.haproxy.render.ConfigRenderer;
import io.pgha.haproxy.runtime.ConfigCheck;
import io.pgha.haproxy.topology.ClusterTopology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;

/**
 * {@code pgha haproxy render}: reads the cluster's members from the DCS once and writes this node's
 * haproxy.cfg, checked by {@code haproxy -c} before it replaces the previous file. Loads nothing
 * into a running HAProxy; {@code pgha haproxy run} does that.
 */
@Command(name = "render", mixinStandardHelpOptions = true, description = "Write haproxy.cfg for this node from pgha.yml and the cluster's members in the DCS.")
public final class RenderCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, description = "pgha.yml of this node.")
    Path config;

    @Option(names = {"-o", "--output"}, description = "Where to write; '-' for stdout. Default: haproxy.config_file (/etc/haproxy/haproxy.cfg).")
    String output;

    @Option(names = "--no-check", description = "Do not run haproxy -c on the result.")
    boolean noCheck;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        NodeSetup node;
        try {
            node = NodeSetup.load(config);
        } catch (ConfigException e) {
            err.println("pgha haproxy render: " + config + " is invalid:");
            e.problems().forEach(p -> err.println("  " + p));
            return 1;
        }
        Cluster cluster;
        try (Dcs dcs = node.openDcs()) {
            cluster = dcs.read(Consistency.LINEARIZABLE);
        } catch (DcsException e) {
            err.println("pgha haproxy render: cannot read cluster " + node.config().scope() + " from "
                    + node.dcsName() + ": " + e.getMessage());
            return 1;
        }
        ClusterTopology.Result t = ClusterTopology.of(cluster, node.haproxy().checkTiming(), node.config().bootstrapDcs().rto());
        t.leftOut().forEach(u -> err.println("pgha haproxy render: member " + u.member() + " left out: " + u.reason()));
        if (t.topology().members().isEmpty()) {
            err.println("pgha haproxy render: warning: cluster " + node.config().scope() + " has no members in the DCS yet; services have no servers");
        }
        String text = ConfigRenderer.render(node.haproxy(), node.config().scope(), node.config().name(), t.topology());
        if ("-".equals(output)) {
            out.print(text);
            out.flush();
            return 0;
        }
        Path target = output == null ? node.haproxy().configFile() : Path.of(output);
        try {
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path candidate = parent.resolve(target.getFileName() + ".pgha-new");
            Files.writeString(candidate, text);
            if (!noCheck) {
                ConfigCheck.Result check = ConfigCheck.check(node.haproxy().haproxyBin(), candidate);
                if (check instanceof ConfigCheck.Result.Invalid invalid) {
                    Files.deleteIfExists(candidate);
                    err.println("pgha haproxy render: the rendered config does not pass haproxy -c; " + target + " left as it was:");
                    invalid.output().lines().forEach(l -> err.println("  " + l));
                    return 1;
                }
            }
            Files.move(candidate, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            err.println("pgha haproxy render: cannot write " + target + ": " + e.getMessage());
            return 1;
        }
        out.println("wrote " + target + ": " + t.topology().members().size() + " member(s), leader "
                + t.topology().leader().orElse("none") + ", services " + node.haproxy().services().stream()
                .map(s -> s.name() + ":" + s.port()).reduce((a, b) -> a + " " + b).orElse("none"));
        return 0;
    }
}
