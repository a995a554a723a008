// Writes pgha's bash completion from the command tree pgha itself runs (io.pgha.cli.Pgha.commandLine(),
// which adds the subcommands in code, so `picocli.AutoComplete io.pgha.cli.Pgha` would see none).
// scripts/package.sh runs it as a source file: java -cp pgha.jar packaging/Completion.java <out>
import java.nio.file.Files;
import java.nio.file.Path;

public class Completion {
    public static void main(String[] args) throws Exception {
        Files.writeString(Path.of(args[0]), picocli.AutoComplete.bash("pgha", io.pgha.cli.Pgha.commandLine()));
    }
}
