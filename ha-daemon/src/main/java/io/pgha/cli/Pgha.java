package io.pgha.cli;

import io.pgha.ctl.ListCommand;
import io.pgha.ctl.TopologyCommand;
import io.pgha.ctl.SwitchoverCommand;
import io.pgha.ctl.FailoverCommand;
import io.pgha.ctl.RestartCommand;
import io.pgha.ctl.ReinitCommand;
import io.pgha.ctl.ReloadCommand;
import io.pgha.ctl.PauseCommand;
import io.pgha.ctl.ResumeCommand;
import io.pgha.ctl.FlushCommand;
import io.pgha.ctl.ShowConfigCommand;
import io.pgha.ctl.EditConfigCommand;
import io.pgha.ctl.HistoryCommand;
import io.pgha.ctl.RemoveCommand;
import io.pgha.demo.DemoCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one executable: every pgha entry point is a subcommand, so a node installs one package. */
@Command(name = "pgha",
        mixinStandardHelpOptions = true,
        versionProvider = Pgha.Version.class,
        description = "PostgreSQL high availability: leader election on etcd, failover, VIP and HAProxy routing.",
        subcommands = {DaemonCommand.class, DemoCommand.class, CheckConfigCommand.class,
                ListCommand.class, TopologyCommand.class, SwitchoverCommand.class, FailoverCommand.class,
                RestartCommand.class, ReinitCommand.class, ReloadCommand.class, PauseCommand.class, ResumeCommand.class,
                FlushCommand.class, ShowConfigCommand.class, EditConfigCommand.class, HistoryCommand.class,
                RemoveCommand.class, io.pgha.vip.cli.VipCommand.class, io.pgha.haproxy.cli.HaproxyCommand.class, CommandLine.HelpCommand.class})
public final class Pgha implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Held so the JUL configuration is not garbage-collected: gRPC logs through JUL. */
    private static final java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger("io.grpc");

    public static void main(String[] args) {
        GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Pgha())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    // One line naming what went wrong, not a stack trace: operators read this.
                    cmd.getErr().println(cmd.getCommandName() + ": " + e.getMessage());
                    return e instanceof UsageError ? 2 : 1;
                })
                .setParameterExceptionHandler((e, args) -> {
                    // The reason and where to look, not the whole usage text: scripts log one line.
                    CommandLine cmd = e.getCommandLine();
                    cmd.getErr().println(cmd.getCommandName() + ": " + e.getMessage() + " (see: " + cmd.getCommandSpec().qualifiedName() + " --help)");
                    return 2;
                });
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** An operator error (bad argument, wrong state) as opposed to a failure of the system. */
    public static final class UsageError extends RuntimeException {
        public UsageError(String message) {
            super(message);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Pgha.class.getPackage().getImplementationVersion();
            return new String[] {"pgha " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
