package io.pgha.config;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Parses YAML 1.1 the way Patroni's PyYAML does ({@code on}/{@code yes} are booleans), with only
 * plain types. Duplicate keys are refused: silently taking the last one hides an edit that did not
 * take effect.
 */
public final class YamlSource {
    public static final String FILE = "(file)";

    private YamlSource() {
    }

    /**
     * @param source how to name the input in a message ("" for text that came without a file name)
     * @return the document's root value (null for an empty document)
     */
    /** A config file's text, or one problem saying why it cannot be read (missing, not allowed, not UTF-8). */
    public static String readText(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw unreadable(file, "no such file");
        } catch (AccessDeniedException e) {
            throw unreadable(file, "permission denied");
        } catch (CharacterCodingException e) {
            throw unreadable(file, "not valid UTF-8");
        } catch (IOException e) {
            throw unreadable(file, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    private static ConfigException unreadable(Path file, String why) {
        return new ConfigException(new ConfigProblem(FILE, "cannot read " + file + ": " + why));
    }

    public static Object parse(String text, String source) {
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

    /** Block-style YAML, keys in map order, long values on one line: what pgha writes for an operator to read. */
    public static String dump(Object tree) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setWidth(1000);
        o.setSplitLines(false);
        return new Yaml(new Representer(o), o).dump(tree);
    }
}
