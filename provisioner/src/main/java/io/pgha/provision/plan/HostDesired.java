package io.pgha.provision.plan;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one host must hold once applied: packages, directories, files, and the units that must be enabled and
 * running, in the order they start. {@code restartOn} says which files each unit reads, so that a
 * changed file is known to need that unit restarted. {@code secrets} are masked in every diff.
 */
public record HostDesired(String host, List<String> roles, List<String> packages, List<DesiredDirectory> directories,
                          List<DesiredFile> files,
                          List<String> units, Map<String, Set<String>> restartOn, List<String> secrets) {
    public HostDesired {
        roles = List.copyOf(roles);
        packages = List.copyOf(packages);
        directories = List.copyOf(directories);
        files = List.copyOf(files);
        units = List.copyOf(units);
        restartOn = Map.copyOf(restartOn);
        secrets = List.copyOf(secrets);
    }

    @Override
    public String toString() {
        return "HostDesired[" + host + " " + roles + ", " + files.size() + " files, units " + units + "]";
    }
}
