package io.pgha.config;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Parses YAML 1.1 the way Patroni's PyYAML does ({@code on}/{@code yes} are booleans), with only
 * plain types. Duplicate keys are refused: silently taking the last one hides an edit that did not
 * take effect.
 */
final class YamlSource {
    static final String FILE = "(file)";

    private YamlSource() {
    }

    /**
     * @param source how to name the input in a message ("" for text that came without a file name)
     * @return the document's root value (null for an empty document)
     */
    static Object parse(String text, String source) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Yaml yaml = new Yaml(new SafeConstructor(options));
        String in = source.isEmpty() ? "" : " in " + source;
        try {
            Object root = yaml.load(text);
            if (Values.isRecursive(root)) {
                throw new ConfigException(new ConfigProblem(FILE, "a YAML alias refers to its own enclosing node" + in));
            }
            return root;
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
            throw new ConfigException(new ConfigProblem(FILE, "YAML syntax error" + in + where + ": " + what + context));
        } catch (YAMLException e) {
            throw new ConfigException(new ConfigProblem(FILE, "cannot read YAML" + in + ": " + e.getMessage()));
        }
    }
}
