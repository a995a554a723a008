package io.pgha.provision.plan;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Compares what a host must hold with what it holds: the changes `apply` makes there, in order. */
public final class Planner {
    private Planner() {
    }

    public static List<Change> plan(HostDesired want, Observed have) {
        String host = want.host();
        Redaction redaction = new Redaction(want.secrets());
        List<Change> changes = new ArrayList<>();
        for (String pkg : want.packages()) {
            PackageSpec spec = PackageSpec.parse(pkg);
            Optional<String> installed = have.packages().getOrDefault(spec.name(), Optional.empty());
            if (installed.isEmpty() || !spec.version().isEmpty() && !installed.get().equals(spec.version())) {
                changes.add(new Change.InstallPackage(host, spec.name(), installed, spec.version()));
            }
        }
        for (DesiredDirectory d : want.directories()) {
            Optional<Observed.FileState> now = have.directories().getOrDefault(d.path(), Optional.empty());
            if (now.isEmpty() || !now.get().mode().equals(d.mode()) || !now.get().owner().equals(d.owner())
                    || !now.get().group().equals(d.group())) {
                changes.add(new Change.MakeDirectory(host, d, now.isEmpty()));
            }
        }
        Set<String> changedFiles = new LinkedHashSet<>();
        for (DesiredFile f : want.files()) {
            Optional<Observed.FileState> now = have.files().getOrDefault(f.path(), Optional.empty());
            if (now.isEmpty() || !now.get().content().equals(f.content())) {
                changes.add(new Change.WriteFile(host, f, now.isEmpty(),
                        FileDiff.unified(f.path(), now.map(Observed.FileState::content), f.content(), redaction)));
                changedFiles.add(f.path());
            } else if (!now.get().mode().equals(f.mode()) || !now.get().owner().equals(f.owner()) || !now.get().group().equals(f.group())) {
                changes.add(new Change.FixAttributes(host, f, now.get()));
            }
        }
        for (String unit : want.units()) {
            Observed.UnitStatus s = have.units().getOrDefault(unit, new Observed.UnitStatus(false, false));
            if (!s.enabled() || !s.active()) {
                changes.add(new Change.StartUnit(host, unit, !s.enabled(), !s.active()));
            } else {
                List<String> read = want.restartOn().getOrDefault(unit, Set.of()).stream().filter(changedFiles::contains).toList();
                if (!read.isEmpty()) {
                    changes.add(new Change.RestartUnit(host, unit, String.join(", ", read) + " changed"));
                }
            }
        }
        return changes;
    }

    /** "pgha" or "pgha=0.1.0~SNAPSHOT-1". */
    record PackageSpec(String name, String version) {
        static PackageSpec parse(String s) {
            int eq = s.indexOf('=');
            return eq < 0 ? new PackageSpec(s, "") : new PackageSpec(s.substring(0, eq), s.substring(eq + 1));
        }
    }
}
