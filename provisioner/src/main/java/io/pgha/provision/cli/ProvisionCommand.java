package io.pgha.provision.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** `pgha provision plan|apply|remove`: whole clusters from a Pigsty-shaped inventory, over SSH. */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = {"Build PostgreSQL clusters from a Pigsty-shaped inventory: etcd, pgha, VIP, HAProxy bridge, users, databases and HBA, over SSH (or in a sandbox of namespaces on this machine). `plan` shows what would change and changes nothing; `apply` makes it so; re-applying an unchanged inventory makes 0 changes."},
        subcommands = {PlanCommand.class, ApplyCommand.class, RemoveCommand.class})
public final class ProvisionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required: plan, apply or remove");
    }
}
