package io.pgha.ctl;

import io.pgha.config.ConfigException;
import io.pgha.config.ConfigProblem;
import io.pgha.config.DynamicConfig;
import io.pgha.config.Timing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A new dynamic config checked as the daemons will read it — {@link DynamicConfig#fromJson} on the
 * exact JSON to be written, then the timing rules — plus the misspelt keys this edit introduces
 * (old ones are not the editor's fault and do not block an unrelated change).
 */
final class ConfigCheck {
    private ConfigCheck() {
    }

    static List<ConfigProblem> problems(Map<String, Object> before, Map<String, Object> after) {
        DynamicConfig config;
        try {
            config = DynamicConfig.fromJson(ConfigYaml.toJson(after));
        } catch (ConfigException e) {
            return e.problems();
        }
        List<ConfigProblem> out = new ArrayList<>(Timing.resolve(config).problems());
        List<ConfigProblem> oldTypos = typos(before);
        config.likelyTypos("config").stream().filter(t -> !oldTypos.contains(t)).forEach(out::add);
        return out;
    }

    private static List<ConfigProblem> typos(Map<String, Object> config) {
        try {
            return DynamicConfig.fromJson(ConfigYaml.toJson(config)).likelyTypos("config");
        } catch (ConfigException e) {
            return List.of();
        }
    }
}
