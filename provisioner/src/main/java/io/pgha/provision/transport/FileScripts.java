package io.pgha.provision.transport;

import java.util.regex.Pattern;

/**
 * The shell scripts a transport reads and writes files with when all it has is a command line (SSH,
 * where going through exec keeps sudo working): {@code cat}, and for a write: parent directories,
 * a temporary file in the same directory fed from stdin, chmod, chown, {@code mv -f} over the target.
 */
final class FileScripts {
    /** The exit status the read script uses for "no such file" (cat itself exits 1 on errors). */
    static final int MISSING = 3;
    private static final Pattern MODE = Pattern.compile("0?[0-7]{3}|[0-7]{4}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

    private FileScripts() {
    }

    static String read(String path) {
        checkPath(path);
        String p = Shell.quote(path);
        return "if [ ! -e " + p + " ] && [ ! -L " + p + " ]; then exit " + MISSING + "; fi; exec cat -- " + p;
    }

    static String write(String path, String mode, String owner, String group) {
        checkWrite(path, mode, owner, group);
        int slash = path.lastIndexOf('/');
        String dir = slash == 0 ? "/" : path.substring(0, slash);
        String base = path.substring(slash + 1);
        String tmpl = (dir.equals("/") ? "" : dir) + "/." + base + ".pgha-XXXXXX";
        return String.join("\n",
                "set -e",
                "mkdir -p -- " + Shell.quote(dir),
                "t=$(mktemp -- " + Shell.quote(tmpl) + ")",
                "trap 'rm -f -- \"$t\"' EXIT",
                "cat > \"$t\"",
                "chmod " + mode + " \"$t\"",
                "chown " + Shell.quote(owner + ":" + group) + " \"$t\"",
                "sync -- \"$t\" 2>/dev/null || true",
                "mv -f -- \"$t\" " + Shell.quote(path),
                "trap - EXIT");
    }

    static void checkPath(String path) {
        if (path == null || !path.startsWith("/") || path.endsWith("/") || path.contains("\0")) {
            throw new IllegalArgumentException("file path must be absolute and name a file, got " + path);
        }
    }

    static void checkWrite(String path, String mode, String owner, String group) {
        checkPath(path);
        if (mode == null || !MODE.matcher(mode).matches()) {
            throw new IllegalArgumentException(path + ": mode must be octal like 0640, got " + mode);
        }
        if (owner == null || !NAME.matcher(owner).matches()) {
            throw new IllegalArgumentException(path + ": owner must be a user name, got " + owner);
        }
        if (group == null || !NAME.matcher(group).matches()) {
            throw new IllegalArgumentException(path + ": group must be a group name, got " + group);
        }
    }
}
