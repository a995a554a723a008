package io.pgha.daemon.scale;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The scale run as an SVG: etcd requests/s and the real cluster's failover time against the number
 * of clusters, the failover panel with the idle-etcd figure as a dashed line. Drawn by hand: two
 * line charts do not justify a plotting library in the build.
 */
final class ScalePlot {
    private static final int W = 440;
    private static final int H = 320;
    private static final int LEFT = 60;
    private static final int BOTTOM = 45;
    private static final int TOP = 35;
    private static final int RIGHT = 20;

    private ScalePlot() {
    }

    static String svg(List<ScaleRow> rows) {
        List<ScaleRow> loaded = rows.subList(1, rows.size());
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n", 2 * W, H));
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        panel(b, 0, "etcd requests/s (whole etcd)", rows, ScaleRow::requestsPerSecond, Double.NaN, "%.0f");
        panel(b, W, "node-crash failover, median (s)", loaded, ScaleRow::medianFailover, rows.get(0).medianFailover(), "%.1f");
        b.append("</svg>\n");
        return b.toString();
    }

    private static void panel(StringBuilder b, int x0, String title, List<ScaleRow> rows, ToDoubleFunction<ScaleRow> y,
                              double baseline, String format) {
        double maxX = rows.stream().mapToDouble(ScaleRow::clusters).max().orElse(1);
        double maxY = Math.max(rows.stream().mapToDouble(y).max().orElse(1), Double.isNaN(baseline) ? 0 : baseline) * 1.15;
        int plotW = W - LEFT - RIGHT;
        int plotH = H - TOP - BOTTOM;
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-weight=\"bold\">%s</text>%n", x0 + LEFT, title));
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", x0 + LEFT, TOP, x0 + LEFT, TOP + plotH));
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", x0 + LEFT, TOP + plotH, x0 + LEFT + plotW, TOP + plotH));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">clusters on one etcd</text>%n", x0 + LEFT + plotW / 2, H - 8));
        for (int i = 0; i <= 4; i++) {
            double v = maxY * i / 4;
            int py = TOP + plotH - (int) Math.round(plotH * i / 4.0);
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", x0 + LEFT - 6, py + 4, String.format(Locale.ROOT, format, v)));
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>%n", x0 + LEFT, py, x0 + LEFT + plotW, py));
        }
        StringBuilder points = new StringBuilder();
        for (ScaleRow r : rows) {
            double px = x0 + LEFT + plotW * r.clusters() / maxX;
            double py = TOP + plotH - plotH * y.applyAsDouble(r) / maxY;
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
            b.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#1f77b4\"/>%n", px, py));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>%n", px, py - 8,
                    String.format(Locale.ROOT, format, y.applyAsDouble(r))));
            b.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", px, TOP + plotH + 16, r.clusters()));
        }
        b.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\"/>%n", points.toString().trim()));
        if (!Double.isNaN(baseline)) {
            double py = TOP + plotH - plotH * baseline / maxY;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#d62728\" stroke-dasharray=\"6,4\"/>%n",
                    x0 + LEFT, py, x0 + LEFT + plotW, py));
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#d62728\">idle etcd %s s</text>%n",
                    x0 + LEFT + plotW, py - 6, String.format(Locale.ROOT, format, baseline)));
        }
    }
}
