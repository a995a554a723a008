package io.pgha.migrate;

import io.pgha.config.ConfigException;
import io.pgha.config.YamlSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;

/**
 * {@code pgha migrate from-patroni}: a Patroni config as pgha.yml, with a report of what became of
 * every key. Nothing is written unless the whole file converts, and an existing output file only
 * with --force.
 */
@Command(name = "from-patroni", mixinStandardHelpOptions = true,
        description = "Convert a Patroni config into pgha.yml and report what became of every key.")
public final class FromPatroniCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, description = "The Patroni config to convert (patroni.yml).")
    Path patroni;

    @Option(names = {"-o", "--output"}, description = "Where to write pgha.yml; without it the YAML goes to stdout and the report to stderr.")
    Path output;

    @Option(names = "--force", description = "Overwrite the output file if it exists.")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            return convert(out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private int convert(PrintWriter out, PrintWriter err) {
        Conversion conversion;
        try {
            Object document = YamlSource.parse(YamlSource.readText(patroni), patroni.toString());
            Path dir = patroni.toAbsolutePath().getParent();
            conversion = PatroniConversion.convert(document, dir);
        } catch (ConfigException e) {
            err.println(patroni + ": " + e.problems().size() + " problem(s), nothing written");
            e.problems().forEach(p -> err.println("  " + p.path() + ": " + p.message()));
            return 1;
        }
        String yaml = "# Converted from " + patroni.toAbsolutePath() + " by pgha migrate from-patroni.\n" + YamlSource.dump(conversion.pgha());
        if (output == null) {
            out.print(yaml);
            err.print(ConversionReport.render(patroni.toString(), "stdout", conversion));
            return 0;
        }
        if (Files.exists(output) && !force) {
            err.println(output + ": exists; not overwritten (use --force)");
            return 1;
        }
        try {
            write(output, yaml);
        } catch (IOException e) {
            err.println(output + ": cannot write: " + e.getMessage());
            return 1;
        }
        out.print(ConversionReport.render(patroni.toString(), output.toString(), conversion));
        return 0;
    }

    /** Private to its owner, as the passwords it holds are, and whole or not at all. */
    private void write(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".pgha-", ".yml", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            if (force) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                // Without --force a file that appeared meanwhile must not be replaced either.
                Files.createLink(file, tmp);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException("exists; not overwritten (use --force)", e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
