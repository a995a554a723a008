package io.pgha.provision.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Optional;

/** The options plan and apply share: the inventory, which hosts, and how to reach them. */
final class Targets {
    @Option(names = {"-i", "--inventory"}, required = true, paramLabel = "FILE", description = "the inventory (Pigsty's YAML shape)")
    Path inventory;

    @Option(names = {"-l", "--limit"}, paramLabel = "CLUSTER|HOST", description = "only this cluster (pg_cluster) or host (address)")
    Optional<String> limit = Optional.empty();

    @Option(names = "--sandbox", arity = "0..1", fallbackValue = "up", paramLabel = "up|down",
            description = {"act on the sandbox: each inventory host a network and mount namespace on this machine with its own sshd",
                    "(brought up when missing); `--sandbox down` removes it all"})
    Optional<String> sandbox = Optional.empty();

    @Option(names = "--sandbox-name", defaultValue = "pgsb", description = "names the sandbox's namespaces and bridge (default: ${DEFAULT-VALUE})")
    String sandboxName;

    @Option(names = "--local", description = "this machine is the only host: no SSH")
    boolean local;

    @Option(names = "--identity", paramLabel = "FILE", description = "SSH private key (default: ~/.ssh/id_ecdsa, then ~/.ssh/id_rsa)")
    Optional<Path> identity = Optional.empty();

    @Option(names = "--known-hosts", paramLabel = "FILE", description = "host keys checked strictly (default: ~/.ssh/known_hosts)")
    Optional<Path> knownHosts = Optional.empty();

    @Option(names = "--package", paramLabel = "FILE", description = "the pgha .deb or .rpm to install (default: the hosts' repositories)")
    Optional<Path> packageFile = Optional.empty();

    @Option(names = "--json", description = "print the plan or the result as JSON")
    boolean json;
}
