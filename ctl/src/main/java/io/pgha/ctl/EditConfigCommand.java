package io.pgha.ctl;

import io.pgha.config.ConfigProblem;
import io.pgha.dcs.CasResult;
import io.pgha.dcs.Expect;
import io.pgha.dcs.model.ClusterKey;
import io.pgha.dcs.model.Versioned;
import io.vertx.core.json.JsonObject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code pgha edit-config}: change the dynamic config in the DCS. The change is shown as a diff,
 * checked as the daemons will read it, confirmed, and written with compare-and-swap on the version
 * that was read — so an edit made meanwhile by someone else is never silently overwritten.
 */
@Command(name = "edit-config", mixinStandardHelpOptions = true,
        description = "Change the dynamic config: with --set/--pg/--apply, or in $EDITOR when none is given.")
public final class EditConfigCommand extends CtlCommand {
    @Option(names = {"-s", "--set"}, paramLabel = "KEY.PATH=VALUE",
            description = "Set a key (YAML value; null deletes), e.g. --set ttl=10 --set postgresql.use_pg_rewind=true.")
    List<String> sets = List.of();

    @Option(names = {"-p", "--pg"}, paramLabel = "NAME=VALUE", description = "Set a PostgreSQL parameter (postgresql.parameters.NAME).")
    List<String> pgs = List.of();

    @Option(names = "--apply", paramLabel = "FILE|-", description = "Merge a YAML file (or stdin) into the config; null deletes a key.")
    String apply;

    @Option(names = "--editor", paramLabel = "COMMAND", description = "Editor to run (default: $VISUAL, $EDITOR, vi).")
    String editor;

    @Option(names = "--force", description = "Do not ask for confirmation.")
    boolean force;

    @Override
    int run(Target target) throws IOException, InterruptedException {
        if ("-".equals(apply) && !force) {
            throw CtlError.usage("--apply - reads the config from stdin, so there is no stdin left to confirm: add --force");
        }
        try (ClusterAccess dcs = ClusterAccess.open(target)) {
            Versioned<String> current = dcs.readExisting().config().orElseThrow(() ->
                    CtlError.failed("the DCS has no config key for " + target.scope() + " (not bootstrapped yet?)"));
            Map<String, Object> before = ConfigYaml.fromJson(current.value());
            String beforeYaml = ConfigYaml.toYaml(before);
            Map<String, Object> after = apply == null && sets.isEmpty() && pgs.isEmpty()
                    ? edit(beforeYaml)
                    : ConfigChanges.apply(before, patch(), sets, pgs);
            PrintWriter progress = chatter();
            if (after.equals(before)) {
                progress.println("Not changed.");
                if (options.json) {
                    out().println(new JsonObject().put("changed", false).put("version", current.version()).encode());
                }
                return Exit.OK;
            }
            progress.print(UnifiedDiff.of(beforeYaml, ConfigYaml.toYaml(after), "before", "after"));
            progress.flush();
            List<ConfigProblem> problems = ConfigCheck.problems(before, after);
            if (!problems.isEmpty()) {
                throw CtlError.usage("config not changed: " + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("; ")));
            }
            if (!force) {
                prompt().require("Apply these changes?", "config not changed");
            }
            CasResult result = dcs.dcs().write(ClusterKey.CONFIG, ConfigYaml.toJson(after), Expect.version(current.version()));
            if (result instanceof CasResult.Conflict c) {
                throw CtlError.failed("config changed meanwhile (version " + current.version() + " → " + c.currentVersion()
                        + "), nothing written; run edit-config again on the new config");
            }
            long version = ((CasResult.Written) result).version();
            if (options.json) {
                out().println(new JsonObject().put("changed", true).put("version", version).put("config", new JsonObject(after)).encode());
            } else {
                out().println("Configuration changed (version " + current.version() + " → " + version + ").");
            }
            return Exit.OK;
        }
    }

    private Map<String, Object> patch() throws IOException {
        if (apply == null) {
            return Map.of();
        }
        String text;
        if (apply.equals("-")) {
            text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        } else {
            try {
                text = Files.readString(Path.of(apply), StandardCharsets.UTF_8);
            } catch (NoSuchFileException e) {
                throw CtlError.usage("--apply " + apply + ": no such file");
            } catch (IOException e) {
                throw CtlError.usage("--apply " + apply + ": " + e.getMessage());
            }
        }
        return ConfigYaml.parseMapping(text, apply.equals("-") ? "stdin" : apply);
    }

    /** The config as YAML in a private temp file, opened in the operator's editor; the file is deleted after. */
    private Map<String, Object> edit(String yaml) throws IOException, InterruptedException {
        String command = editor != null ? editor : firstSet(System.getenv("VISUAL"), System.getenv("EDITOR"), "vi");
        Path file = Files.createTempFile("pgha-config-", ".yaml");
        try {
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
            // Through sh so that an $EDITOR with arguments ("code --wait") works as in git and crontab.
            Process p = new ProcessBuilder("sh", "-c", command + " \"$1\"", "pgha-edit-config", file.toString())
                    .inheritIO().start();
            int exit = p.waitFor();
            if (exit != 0) {
                throw CtlError.failed("editor \"" + command + "\" exited with " + exit + "; config not changed");
            }
            return ConfigYaml.parseMapping(Files.readString(file, StandardCharsets.UTF_8), "the edited config");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the editor \"" + command + "\"", e);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String firstSet(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return "vi";
    }
}
