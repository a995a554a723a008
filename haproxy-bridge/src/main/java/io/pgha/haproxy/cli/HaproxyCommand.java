package io.pgha.haproxy.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code pgha haproxy}: the HAProxy bridge ({@code run}, the default) and {@code render}. */
@Command(name = "haproxy", mixinStandardHelpOptions = true,
        description = "HAProxy for this node: Pigsty's services rendered into haproxy.cfg, moved at once on a leader change.",
        subcommands = {RunCommand.class, RenderCommand.class})
public final class HaproxyCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, description = "pgha.yml of this node (same as `pgha haproxy run -c`).")
    Path config;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (config == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "give -c pgha.yml to run the bridge, or a subcommand: run, render");
        }
        return RunCommand.run(config);
    }
}
