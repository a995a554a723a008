package io.pgha.ctl;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two short texts (configs of at most a few hundred lines), from a longest common
 * subsequence of their lines, with three lines of context like {@code diff -u}.
 */
final class UnifiedDiff {
    private static final int CONTEXT = 3;

    private UnifiedDiff() {
    }

    private record Edit(char op, String line, int oldNo, int newNo) {
    }

    static String of(String before, String after, String beforeName, String afterName) {
        List<Edit> edits = edits(before.lines().toList(), after.lines().toList());
        StringBuilder out = new StringBuilder();
        out.append("--- ").append(beforeName).append('\n').append("+++ ").append(afterName).append('\n');
        int i = 0;
        while (i < edits.size()) {
            if (edits.get(i).op() == ' ') {
                i++;
                continue;
            }
            // A hunk: from CONTEXT lines before this change to CONTEXT lines after the last change
            // that is no more than 2*CONTEXT unchanged lines away from the previous one.
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            int j = i;
            while (j < edits.size()) {
                if (edits.get(j).op() != ' ') {
                    end = j;
                    j++;
                    continue;
                }
                int run = 0;
                while (j + run < edits.size() && edits.get(j + run).op() == ' ') {
                    run++;
                }
                if (j + run >= edits.size() || run > 2 * CONTEXT) {
                    break;
                }
                j += run;
            }
            int stop = Math.min(edits.size(), end + 1 + CONTEXT);
            List<Edit> hunk = edits.subList(start, stop);
            int oldCount = (int) hunk.stream().filter(e -> e.op() != '+').count();
            int newCount = (int) hunk.stream().filter(e -> e.op() != '-').count();
            int oldStart = hunk.stream().filter(e -> e.op() != '+').findFirst().map(Edit::oldNo).orElse(hunk.get(0).oldNo() - 1);
            int newStart = hunk.stream().filter(e -> e.op() != '-').findFirst().map(Edit::newNo).orElse(hunk.get(0).newNo() - 1);
            out.append("@@ -").append(range(oldStart, oldCount)).append(" +").append(range(newStart, newCount)).append(" @@\n");
            hunk.forEach(e -> out.append(e.op()).append(e.line()).append('\n'));
            i = stop;
        }
        return out.toString();
    }

    private static String range(int start, int count) {
        return count == 1 ? Integer.toString(start) : start + "," + count;
    }

    /** The edit script; oldNo/newNo are 1-based line numbers (for an insertion, oldNo is the line after it). */
    private static List<Edit> edits(List<String> a, List<String> b) {
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int x = a.size() - 1; x >= 0; x--) {
            for (int y = b.size() - 1; y >= 0; y--) {
                lcs[x][y] = a.get(x).equals(b.get(y)) ? lcs[x + 1][y + 1] + 1 : Math.max(lcs[x + 1][y], lcs[x][y + 1]);
            }
        }
        List<Edit> out = new ArrayList<>();
        int x = 0;
        int y = 0;
        while (x < a.size() || y < b.size()) {
            if (x < a.size() && y < b.size() && a.get(x).equals(b.get(y))) {
                out.add(new Edit(' ', a.get(x), x + 1, y + 1));
                x++;
                y++;
            } else if (x < a.size() && (y == b.size() || lcs[x + 1][y] >= lcs[x][y + 1])) {
                out.add(new Edit('-', a.get(x), x + 1, y + 1));
                x++;
            } else {
                out.add(new Edit('+', b.get(y), x + 1, y + 1));
                y++;
            }
        }
        return out;
    }
}
