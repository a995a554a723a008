package io.pgha.provision.apply;

import io.pgha.provision.plan.Change;
import io.pgha.provision.transport.Transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;

import static io.pgha.provision.transport.Shell.quote;

/** Makes one host's changes, in order, and stops at the first that fails. */
public final class HostApplier {
    private static final Duration STEP = Duration.ofMinutes(5);

    private final Transport t;
    private final boolean systemd;
    private final ApplyOptions options;
    private final Consumer<String> progress;

    public HostApplier(Transport t, boolean systemd, ApplyOptions options, Consumer<String> progress) {
        this.t = t;
        this.systemd = systemd;
        this.options = options;
        this.progress = progress;
    }

    /** Applies one change; false when it was left for later (a restart not asked for). */
    public boolean apply(Change c) {
        progress.accept(c.summary());
        if (c instanceof Change.InstallPackage p) {
            install(p);
        } else if (c instanceof Change.MakeDirectory d) {
            String q = quote(d.directory().path());
            must("mkdir -p " + q + " && chmod " + d.directory().mode() + " " + q + " && chown "
                    + quote(d.directory().owner() + ":" + d.directory().group()) + " " + q, c);
        } else if (c instanceof Change.WriteFile w) {
            t.write(w.file().path(), w.file().content().getBytes(StandardCharsets.UTF_8), w.file().mode(), w.file().owner(), w.file().group());
        } else if (c instanceof Change.FixAttributes a) {
            must("chmod " + a.file().mode() + " " + quote(a.file().path()) + " && chown "
                    + quote(a.file().owner() + ":" + a.file().group()) + " " + quote(a.file().path()), c);
        } else if (c instanceof Change.StartUnit u) {
            startUnit(u);
        } else if (c instanceof Change.RestartUnit r) {
            if (!options.restart()) {
                return false;
            }
            must(systemd ? "systemctl restart " + quote(r.unit()) : "pgha unit restart " + quote(r.unit()), c);
        } else if (c instanceof Change.RunCommand s) {
            Transport.Exec r = t.run(s.command(), Optional.of(s.input().getBytes(StandardCharsets.UTF_8)), STEP);
            if (!r.ok()) {
                throw new ApplyException(t.host() + ": " + s.what() + " failed: " + firstLines(r.stderr() + r.stdout()));
            }
        }
        return true;
    }

    private void install(Change.InstallPackage p) {
        Path local = options.packageFiles().get(p.name());
        if (local != null) {
            String remote = "/var/cache/pgha/" + local.getFileName();
            try {
                t.write(remote, Files.readAllBytes(local), "0644", "root", "root");
            } catch (IOException e) {
                throw new UncheckedIOException(local + " unreadable", e);
            }
            must("if command -v dpkg >/dev/null; then DEBIAN_FRONTEND=noninteractive dpkg -i " + quote(remote)
                    + "; else rpm -U --replacepkgs " + quote(remote) + "; fi", p);
        } else {
            must("if command -v apt-get >/dev/null; then DEBIAN_FRONTEND=noninteractive apt-get install -y -q "
                    + quote(p.name()) + "; else dnf install -y " + quote(p.name()) + "; fi", p);
        }
    }

    private void startUnit(Change.StartUnit u) {
        String q = quote(u.unit());
        if (systemd) {
            must("systemctl daemon-reload" + (u.enable() ? " && systemctl enable " + q : "")
                    + (u.start() ? " && systemctl start " + q : ""), u);
        } else {
            must((u.enable() ? "pgha unit enable " + q : "true") + (u.start() ? " && pgha unit start " + q : ""), u);
        }
    }

    private void must(String command, Change c) {
        Transport.Exec r = t.run(command, STEP);
        if (!r.ok()) {
            throw new ApplyException(t.host() + ": " + c.summary() + " failed (exit " + r.exit() + "): " + firstLines(r.stderr() + r.stdout()));
        }
    }

    private static String firstLines(String s) {
        String[] lines = s.strip().split("\n");
        return String.join(" / ", Arrays.copyOfRange(lines, Math.max(0, lines.length - 5), lines.length));
    }
}
