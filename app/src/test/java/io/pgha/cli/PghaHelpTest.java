package io.pgha.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command of the executable answers --help with its usage, also when it has required options
 * or parameters: an operator asking how to call a command must not be told what is missing.
 */
class PghaHelpTest {

    @Test
    void everyCommandAnswersHelpWithItsUsage() {
        List<List<String>> paths = new ArrayList<>();
        collect(Pgha.commandLine(), new ArrayList<>(), paths);
        assertThat(paths).as("the walk reaches the nested commands").contains(List.of("demo", "up"), List.of("daemon"));
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            List<String> qualified = new ArrayList<>(List.of("pgha"));
            qualified.addAll(path);
            String line = String.join(" ", args);
            CliRun run = CliRun.pgha(args.toArray(String[]::new));
            assertThat(run.exit()).as(line + ": " + run.err()).isZero();
            assertThat(run.out()).as(line).contains("Usage: " + String.join(" ", qualified));
            assertThat(run.err()).as(line).isEmpty();
        }
    }

    /** Each command once, under its name (not its aliases), parents before children. */
    private static void collect(CommandLine parent, List<String> path, List<List<String>> into) {
        into.add(List.copyOf(path));
        Set<CommandLine> seen = new LinkedHashSet<>(parent.getSubcommands().values());
        for (CommandLine sub : seen) {
            List<String> child = new ArrayList<>(path);
            child.add(sub.getCommandName());
            collect(sub, child, into);
        }
    }
}
