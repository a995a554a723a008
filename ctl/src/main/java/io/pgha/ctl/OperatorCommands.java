package io.pgha.ctl;

import picocli.CommandLine;

import java.util.List;

/**
 * The operator commands in the order {@code pgha --help} lists them, and how every pgha command
 * line reports a failure, so the executable and the tests of this module run the same thing.
 */
public final class OperatorCommands {

    private OperatorCommands() {
    }

    public static List<Class<?>> all() {
        return List.of(ListCommand.class, TopologyCommand.class, SwitchoverCommand.class, FailoverCommand.class,
                RestartCommand.class, ReinitCommand.class, ReloadCommand.class, PauseCommand.class, ResumeCommand.class,
                FlushCommand.class, ShowConfigCommand.class, EditConfigCommand.class, HistoryCommand.class,
                RemoveCommand.class);
    }

    /** One line naming what went wrong, never a stack trace or the whole usage text: operators and scripts read it. */
    public static CommandLine reportingOneLine(CommandLine cmd) {
        return cmd
                .setExecutionExceptionHandler((e, c, parsed) -> {
                    c.getErr().println(c.getCommandName() + ": " + e.getMessage());
                    return e instanceof UsageError ? 2 : 1;
                })
                .setParameterExceptionHandler((e, args) -> {
                    CommandLine c = e.getCommandLine();
                    c.getErr().println(c.getCommandName() + ": " + e.getMessage() + " (see: " + c.getCommandSpec().qualifiedName() + " --help)");
                    return 2;
                });
    }
}
