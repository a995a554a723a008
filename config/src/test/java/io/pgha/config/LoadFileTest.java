package io.pgha.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadFileTest {
    @TempDir
    Path dir;

    @Test
    void loadsAFile() throws IOException {
        Path file = dir.resolve("pgha.yml");
        Files.writeString(file, Fixture.text("minimal.yml"));
        assertThat(PghaConfig.load(file, Map.of()).name()).isEqualTo("node1");
    }

    @Test
    void missingFileIsOneProblemNamingIt() {
        Path file = dir.resolve("nope.yml");
        assertThatThrownBy(() -> PghaConfig.load(file, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly(new ConfigProblem("(file)", "cannot read " + file + ": no such file")));
    }

    @Test
    void directoryIsOneProblemNamingIt() {
        assertThatThrownBy(() -> PghaConfig.load(dir, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(1);
                    assertThat(e.getMessage()).startsWith("(file): cannot read " + dir + ": ");
                });
    }

    @Test
    void notUtf8() throws IOException {
        Path file = dir.resolve("latin1.yml");
        Files.write(file, new byte[]{'n', 'a', 'm', 'e', ':', ' ', (byte) 0xE9, '\n'});
        assertThatThrownBy(() -> PghaConfig.load(file, Map.of()))
                .hasMessage("(file): cannot read " + file + ": not valid UTF-8");
    }

    @Test
    void syntaxErrorHasLineAndColumn() throws IOException {
        Path file = dir.resolve("broken.yml");
        Files.writeString(file, "scope: demo\nname: node1\n  restapi: x\n");
        assertThatThrownBy(() -> PghaConfig.load(file, Map.of()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(new ConfigProblem(
                        "(file)", "YAML syntax error in " + file + " at line 3, column 10: mapping values are not allowed here")));
    }

    @Test
    void syntaxErrorInText() {
        assertThat(Fixture.problems("scope: [demo\nname: x\n")).containsExactly(
                "(file): YAML syntax error at line 2, column 5: expected ',' or ']', but got : (while parsing a flow sequence)");
    }

    @Test
    void emptyAndNonMappingDocuments() {
        assertThat(Fixture.problems("")).containsExactly(
                "(file): is empty; expected a mapping with scope, name, restapi, postgresql and etcd3 or consul");
        assertThat(Fixture.problems("# only a comment\n")).hasSize(1);
        assertThat(Fixture.problems("- a\n- b\n")).containsExactly("(file): expected a mapping at the top level, got a list");
        assertThat(Fixture.problems("just text")).containsExactly("(file): expected a mapping at the top level, got \"just text\"");
    }

    @Test
    void multipleDocumentsAreRefused() {
        assertThat(Fixture.problems(Fixture.text("minimal.yml") + "---\nscope: other\n"))
                .hasSize(1).first().asString().startsWith("(file): YAML syntax error at line ");
    }

    @Test
    void selfReferencingAliasIsRefused() {
        assertThat(Fixture.problems(Fixture.text("minimal.yml") + "vip: &v {again: *v}\n"))
                .containsExactly("(file): a YAML alias refers to its own enclosing node");
    }

    @Test
    void pythonTagsAreRefused() {
        assertThat(Fixture.problems("scope: !!python/object:os.system x\n"))
                .hasSize(1).first().asString().startsWith("(file): YAML syntax error at line 1, column 8: ");
    }
}
