package io.pgha.migrate;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.util.Map;

/** pgha.yml as written by the conversion: block style, keys in the Patroni file's order. */
final class PghaYaml {
    private PghaYaml() {
    }

    static String dump(Map<String, Object> tree) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setWidth(1000);
        o.setSplitLines(false);
        return new Yaml(o).dump(tree);
    }
}
