package io.pgha.provision.cli;

import io.pgha.provision.apply.Step;
import io.pgha.provision.inventory.Inventory;
import io.pgha.provision.inventory.InventoryException;
import io.pgha.provision.inventory.InventoryReader;
import io.pgha.provision.render.ClusterSteps;
import io.pgha.provision.sandbox.Sandbox;
import io.pgha.provision.sandbox.SandboxSpec;
import io.pgha.provision.transport.LocalTransport;
import io.pgha.provision.transport.SshTarget;
import io.pgha.provision.transport.SshTransport;
import io.pgha.provision.transport.Transport;
import io.pgha.provision.transport.TransportException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run of plan or apply: the inventory read and validated, the steps rendered, and a transport
 * to every host they touch, all connected before anything is read or changed, so that an
 * unreachable host stops the run before it has touched any other.
 */
final class Session implements AutoCloseable {
    static final Duration CONNECT = Duration.ofSeconds(10);
    static final Duration HEALTH = Duration.ofMinutes(3);

    final Inventory inventory;
    final List<Step> steps;
    final Map<String, Path> packageFiles;
    private final Map<String, Transport> transports = new LinkedHashMap<>();

    private Session(Inventory inventory, List<Step> steps, Map<String, Path> packageFiles) {
        this.inventory = inventory;
        this.steps = steps;
        this.packageFiles = packageFiles;
    }

    /** Throws {@link InventoryException} (bad inventory), {@link TransportException} (a host not reachable) or {@link Failure}. */
    static Session open(Targets t) {
        return open(t, true);
    }

    /** @param installs whether this run installs packages (remove does not, and needs no package file) */
    static Session open(Targets t, boolean installs) {
        Inventory inv = InventoryReader.read(t.inventory);
        if (t.limit.isPresent() && !inv.hosts().contains(t.limit.get()) && !inv.clusters().containsKey(t.limit.get())
                && !t.limit.get().equals(inv.settings().etcdCluster())) {
            throw new Failure("-l " + t.limit.get() + ": no such cluster or host in " + t.inventory
                    + " (clusters: " + String.join(", ", inv.clusters().keySet()) + ")");
        }
        String pgha = "pgha";
        Map<String, Path> files = new LinkedHashMap<>();
        if (t.packageFile.isPresent()) {
            Path p = t.packageFile.get();
            if (!Files.isRegularFile(p)) {
                throw new Failure("--package " + p + ": no such file (scripts/package.sh builds it)");
            }
            pgha = "pgha=" + PackageVersion.of(p);
            files.put("pgha", p);
        } else if (t.sandbox.isPresent() && installs) {
            throw new Failure("--sandbox installs pgha from a package file: add --package app/target/packages/pgha_<version>_all.deb"
                    + " (scripts/package.sh builds it)");
        }
        List<Step> steps = new ClusterSteps(inv, t.inventory.getFileName().toString(), pgha, HEALTH).steps(t.limit);
        Session s = new Session(inv, steps, files);
        try {
            s.connect(t);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    Transport transport(String host) {
        Transport t = transports.get(host);
        if (t == null) {
            throw new IllegalStateException(host + " has no transport: not connected up front");
        }
        return t;
    }

    private void connect(Targets t) {
        List<String> hosts = hosts();
        if (t.local) {
            if (hosts.size() != 1) {
                throw new Failure("--local is for one host; the steps touch " + hosts);
            }
            transports.put(hosts.get(0), new LocalTransport(hosts.get(0)));
            refuseOtherDistributions();
            return;
        }
        Optional<Sandbox> sandbox = Optional.empty();
        if (t.sandbox.isPresent()) {
            SandboxSpec spec = SandboxSpec.of(t.sandboxName, inventory.hosts());
            Optional<Sandbox> existing = Sandbox.load(spec.name(), spec.stateDir());
            if (existing.isPresent() && !existing.get().healthy()) {
                throw new Failure("sandbox " + spec.name() + " in " + spec.stateDir() + " is not healthy (an sshd is gone);"
                        + " remove it with: pgha provision apply -i " + t.inventory + " --sandbox down");
            }
            sandbox = Optional.of(existing.orElseGet(() -> Sandbox.up(spec)));
        }
        List<String> unreachable = new ArrayList<>();
        for (String h : hosts) {
            SshTarget target;
            if (sandbox.isPresent()) {
                Sandbox sb = sandbox.get();
                // A host the sandbox has no machine for is tried all the same: it is unreachable, as a VM that is down.
                target = sb.hosts().stream().anyMatch(m -> m.address().equals(h)) ? sb.target(h)
                        : new SshTarget(h, 22, "root", sb.identity(), sb.knownHosts());
            } else {
                target = new SshTarget(h, inventory.settings().sshPort(), inventory.settings().sshUser(), identity(t),
                        t.knownHosts.orElse(home().resolve(".ssh/known_hosts")));
            }
            try {
                transports.put(h, SshTransport.connect(target, CONNECT));
            } catch (TransportException e) {
                unreachable.add(e.getMessage());
            }
        }
        if (!unreachable.isEmpty()) {
            throw new TransportException(String.join("\n", unreachable) + "\nnothing was changed on any host");
        }
        refuseOtherDistributions();
    }

    /**
     * The rendered files name Debian's package names and paths (postgresql-15, /usr/lib/postgresql);
     * on an EL host they would install the wrong things or nothing, so such a host is refused up front.
     */
    private void refuseOtherDistributions() {
        List<String> others = new ArrayList<>();
        transports.forEach((h, tr) -> {
            if (!tr.run("command -v dpkg-query >/dev/null", CONNECT).ok()) {
                others.add(h + ": not a Debian or Ubuntu host (no dpkg-query); pgha provision installs Debian packages"
                        + " and does not provision EL hosts yet: install the pgha RPM and write /etc/pgha/pgha.yml there by hand");
            }
        });
        if (!others.isEmpty()) {
            throw new Failure(String.join("\n", others) + "\nnothing was changed on any host");
        }
    }

    /** The hosts the steps touch, in step order. */
    private List<String> hosts() {
        List<String> out = new ArrayList<>();
        for (Step s : steps) {
            if (s instanceof Step.HostStep h) {
                h.hosts().forEach(d -> {
                    if (!out.contains(d.host())) {
                        out.add(d.host());
                    }
                });
            } else if (s instanceof Step.QueryStep q && !out.contains(q.host())) {
                out.add(q.host());
            }
        }
        return out;
    }

    private static Path identity(Targets t) {
        if (t.identity.isPresent()) {
            return t.identity.get();
        }
        for (String name : List.of("id_ecdsa", "id_rsa")) {
            Path p = home().resolve(".ssh").resolve(name);
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new Failure("no SSH key: --identity FILE, or ~/.ssh/id_ecdsa or ~/.ssh/id_rsa");
    }

    private static Path home() {
        return Path.of(System.getProperty("user.home"));
    }

    @Override
    public void close() {
        transports.values().forEach(Transport::close);
    }

    /** A run refused for a reason the message names; nothing was changed. */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message);
        }
    }
}
