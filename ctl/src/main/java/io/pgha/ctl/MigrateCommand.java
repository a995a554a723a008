package io.pgha.ctl;

import io.pgha.migrate.FromPatroniCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code pgha migrate}: moving a running Patroni cluster to pgha node by node. */
@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = "Move a Patroni cluster to pgha: convert its config, check the live cluster.",
        subcommands = {FromPatroniCommand.class, MigrateCheckCommand.class})
public final class MigrateCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required (from-patroni or check)");
    }
}
