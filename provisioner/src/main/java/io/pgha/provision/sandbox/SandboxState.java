package io.pgha.provision.sandbox;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * {@code <stateDir>/sandbox.properties}: what a sandbox made, so that another process (the CLI's
 * {@code --sandbox down}) can find and remove it. Written before anything is created, rewritten as
 * hosts start.
 */
record SandboxState(String name, String bridge, String bridgeAddress, int prefixLength, List<Host> hosts) {
    static final String FILE = "sandbox.properties";

    record Host(String address, String namespace, String veth, long pid) {
    }

    static Path file(Path stateDir) {
        return stateDir.resolve(FILE);
    }

    static Optional<SandboxState> read(Path stateDir) {
        Path file = file(stateDir);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<Host> hosts = new ArrayList<>();
        String list = p.getProperty("hosts", "");
        for (String a : list.isBlank() ? new String[0] : list.split(",")) {
            hosts.add(new Host(a, p.getProperty("host." + a + ".namespace"), p.getProperty("host." + a + ".veth"),
                    Long.parseLong(p.getProperty("host." + a + ".pid", "0"))));
        }
        return Optional.of(new SandboxState(p.getProperty("name"), p.getProperty("bridge"), p.getProperty("bridge.address"),
                Integer.parseInt(p.getProperty("prefix.length", "24")), hosts));
    }

    void write(Path stateDir) {
        Properties p = new Properties();
        p.setProperty("name", name);
        p.setProperty("bridge", bridge);
        p.setProperty("bridge.address", bridgeAddress);
        p.setProperty("prefix.length", Integer.toString(prefixLength));
        p.setProperty("hosts", String.join(",", hosts.stream().map(Host::address).toList()));
        for (Host h : hosts) {
            p.setProperty("host." + h.address() + ".namespace", h.namespace());
            p.setProperty("host." + h.address() + ".veth", h.veth());
            p.setProperty("host." + h.address() + ".pid", Long.toString(h.pid()));
        }
        Path file = file(stateDir);
        Path tmp = stateDir.resolve(FILE + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "pgha sandbox " + name + ": what `--sandbox down` removes");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + tmp, e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    SandboxState withPid(String address, long pid) {
        return new SandboxState(name, bridge, bridgeAddress, prefixLength, hosts.stream()
                .map(h -> h.address().equals(address) ? new Host(h.address(), h.namespace(), h.veth(), pid) : h).toList());
    }

    @Override
    public String toString() {
        return name + " " + Arrays.toString(hosts.toArray());
    }
}
