package io.pgha.demo;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DaemonJvmTest {
    @Test
    void theLauncherScriptStartsDaemonsWithTheSameFlagsAsTheDemoAndTests() throws Exception {
        String script = Files.readString(Path.of("../bin/pgha"));
        assertThat(script).contains("${PGHA_JAVA_OPTS:-" + String.join(" ", DaemonJvm.FLAGS) + "}");
        DaemonJvm.ENVIRONMENT.forEach((k, v) -> assertThat(script).contains("export " + k + "=\"${" + k + ":-" + v + "}\""));
    }
}
