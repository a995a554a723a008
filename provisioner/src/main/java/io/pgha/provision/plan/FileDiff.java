package io.pgha.provision.plan;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A unified diff of a file's content as the host holds it against what it must hold, secrets masked. */
public final class FileDiff {
    private FileDiff() {
    }

    /**
     * The change is judged on the real bytes, the text shown on masked ones: when only a secret
     * differs, the masked diff would be empty, and a line saying so stands in for it.
     */
    public static String unified(String path, Optional<String> before, String after, Redaction redaction) {
        List<String> old = lines(before.map(redaction::mask).orElse(""));
        List<String> now = lines(redaction.mask(after));
        Patch<String> patch = DiffUtils.diff(old, now);
        if (patch.getDeltas().isEmpty()) {
            return before.isPresent() && !before.get().equals(after) ? "  (a secret value changed)\n" : "";
        }
        List<String> diff = UnifiedDiffUtils.generateUnifiedDiff(before.isPresent() ? path : "/dev/null", path, old, patch, 2);
        return String.join("\n", diff) + "\n";
    }

    private static List<String> lines(String text) {
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n", -1));
    }
}
