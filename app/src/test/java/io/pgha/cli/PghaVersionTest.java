package io.pgha.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** `pgha --version` names the Maven version and the commit the jar was built from. */
class PghaVersionTest {
    private static final Pattern LINE = Pattern.compile("pgha (\\S+) \\(git ([0-9a-f]{7,}|unknown)\\)");

    @Test
    void printsTheProjectVersionAndTheGitRevisionOfTheBuild() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cmd = Pgha.commandLine();
        cmd.setOut(new PrintWriter(out, true));
        assertThat(cmd.execute("--version")).isZero();

        Matcher m = LINE.matcher(out.toString().strip());
        assertThat(m.matches()).as(out.toString()).isTrue();
        assertThat(m.group(1)).isEqualTo(projectVersion());
        Optional<String> head = gitShortHead();
        if (head.isPresent() && linkedWorktree()) {
            // git-commit-id-maven-plugin 9.0.2 reads the main checkout's HEAD there (its issue #882): only the form is checked.
            assertThat(m.group(2)).isNotEqualTo("unknown");
        } else if (head.isPresent()) {
            assertThat(m.group(2)).isEqualTo(head.get());
        } else {
            assertThat(m.group(2)).isEqualTo("unknown"); // built from a source tarball
        }
    }

    /** The parent's version in app/pom.xml, which the app inherits (surefire runs in the module's directory). */
    private static String projectVersion() throws IOException {
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher m = Pattern.compile("<parent>.*?<version>([^<]+)</version>", Pattern.DOTALL).matcher(pom);
        assertThat(m.find()).as("app/pom.xml names its parent's version").isTrue();
        return m.group(1).strip();
    }

    /** A `git worktree add` checkout has a .git file naming the main repository instead of a .git directory. */
    private static boolean linkedWorktree() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve(".git"))) {
            dir = dir.getParent();
        }
        return dir != null && Files.isRegularFile(dir.resolve(".git"));
    }

    /**
     * `git rev-parse --short=7 HEAD` (7 as the build asks, whatever core.abbrev says), when the tree
     * is a git checkout (.git is a directory, or a file in a worktree).
     */
    private static Optional<String> gitShortHead() throws IOException, InterruptedException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve(".git"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            return Optional.empty();
        }
        Process git = new ProcessBuilder("git", "rev-parse", "--short=7", "HEAD").directory(dir.toFile())
                .redirectErrorStream(true).start();
        String said = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(git.waitFor(30, TimeUnit.SECONDS)).as("git rev-parse ends").isTrue();
        assertThat(git.exitValue()).as("git rev-parse: " + said).isZero();
        return Optional.of(said);
    }
}
