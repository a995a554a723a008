package io.pgha.provision.plan;

import java.util.Map;
import java.util.Optional;

/** What a host holds now, as far as its desired state asks: those files, packages and units. */
public record Observed(String host, boolean systemd, Map<String, Optional<FileState>> directories,
                       Map<String, Optional<FileState>> files,
                       Map<String, Optional<String>> packages, Map<String, UnitStatus> units) {
    public Observed {
        directories = Map.copyOf(directories);
        files = Map.copyOf(files);
        packages = Map.copyOf(packages);
        units = Map.copyOf(units);
    }

    /** A directory's content is "". */
    public record FileState(String content, String mode, String owner, String group) {
        @Override
        public String toString() {
            return mode + " " + owner + ":" + group;
        }
    }

    public record UnitStatus(boolean enabled, boolean active) {
    }
}
