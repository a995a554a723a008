package io.pgha.cli;

import io.pgha.ctl.MigrateCommand;
import io.pgha.ctl.OperatorCommands;
import io.pgha.daemon.Daemon;
import io.pgha.demo.DemoCommand;
import io.pgha.haproxy.cli.HaproxyCommand;
import io.pgha.provision.cli.ProvisionCommand;
import io.pgha.provision.unit.UnitCommand;
import io.pgha.vip.cli.VipCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one executable: every pgha entry point is a subcommand, so a node installs one package. This
 * class only assembles them; each module owns its commands.
 */
@Command(name = "pgha",
        mixinStandardHelpOptions = true,
        versionProvider = Pgha.Version.class,
        description = "PostgreSQL high availability: leader election on etcd, failover, VIP and HAProxy routing.")
public final class Pgha implements Runnable {

    @Spec
    CommandSpec spec;

    /** Held so the JUL configuration is not garbage-collected: gRPC logs through JUL. */
    private static final Logger GRPC_LOG = Logger.getLogger("io.grpc");

    public static void main(String[] args) {
        GRPC_LOG.setLevel(Level.WARNING);
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Pgha());
        cmd.addSubcommand(DaemonCommand.class);
        cmd.addSubcommand(DemoCommand.class);
        cmd.addSubcommand(CheckConfigCommand.class);
        cmd.addSubcommand(BackupCommand.class);
        cmd.addSubcommand(RestoreCommand.class);
        for (Class<?> operatorCommand : OperatorCommands.all()) {
            cmd.addSubcommand(operatorCommand);
        }
        cmd.addSubcommand(MigrateCommand.class);
        cmd.addSubcommand(VipCommand.class);
        cmd.addSubcommand(HaproxyCommand.class);
        cmd.addSubcommand(ProvisionCommand.class);
        cmd.addSubcommand(UnitCommand.class);
        cmd.addSubcommand(HelpCommand.class);
        return OperatorCommands.reportingOneLine(cmd);
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** "pgha 0.1.0-SNAPSHOT (git 39049a0)": the version members report, and the commit it was built from. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"pgha " + Daemon.VERSION + " (git " + BuildRevision.read() + ")"};
        }
    }
}
