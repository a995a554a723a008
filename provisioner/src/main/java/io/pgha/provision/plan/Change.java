package io.pgha.provision.plan;

import java.util.Optional;

/** One thing `apply` does on one host; {@link #summary()} is the plan's line for it (secrets masked). */
public sealed interface Change {
    String host();

    String summary();

    /** Install or upgrade a package to the wanted version ("" when any version will do). */
    record InstallPackage(String host, String name, Optional<String> installed, String wanted) implements Change {
        @Override
        public String summary() {
            return "package " + name + ": " + installed.map(v -> v + " → ").orElse("not installed → ")
                    + (wanted.isEmpty() ? "install" : wanted);
        }
    }

    /** Create a directory, or set its mode and owner. */
    record MakeDirectory(String host, DesiredDirectory directory, boolean creates) implements Change {
        @Override
        public String summary() {
            return (creates ? "create directory " : "attributes of directory ") + directory;
        }
    }

    /** Write a file (create or replace its content); the diff is already masked. */
    record WriteFile(String host, DesiredFile file, boolean creates, String diff) implements Change {
        @Override
        public String summary() {
            return (creates ? "create " : "update ") + file;
        }
    }

    /** Only mode or ownership differ. */
    record FixAttributes(String host, DesiredFile file, Observed.FileState was) implements Change {
        @Override
        public String summary() {
            return "attributes of " + file.path() + ": " + was + " → " + file.mode() + " " + file.owner() + ":" + file.group();
        }
    }

    /** Enable and/or start a unit that is not yet so. */
    record StartUnit(String host, String unit, boolean enable, boolean start) implements Change {
        @Override
        public String summary() {
            return (enable && start ? "enable and start " : enable ? "enable " : "start ") + unit;
        }
    }

    /**
     * A running unit reads a file this apply changes. Restarting pgha.service restarts PostgreSQL
     * (and on the leader hands the role over), so apply only does it when asked (--restart).
     */
    record RestartUnit(String host, String unit, String because) implements Change {
        @Override
        public String summary() {
            return "restart " + unit + " (" + because + ")";
        }
    }

    /**
     * A command run as root on the host with {@code input} on its stdin, never on a command line:
     * statements through {@code psql} on the primary, a value through {@code etcdctl put}. The text
     * shown has passwords masked.
     */
    record RunCommand(String host, String what, String command, String input, String shown) implements Change {
        @Override
        public String summary() {
            return what;
        }
    }
}
