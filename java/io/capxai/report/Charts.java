package io.capxai.report;

import io.capxai.images.ColourMaps;
import io.capxai.probing.ConceptHits;
import io.capxai.probing.Outcome;
import io.capxai.probing.Verdict;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/** Self-contained pictures for the HTML report: inline SVG charts and the tap-pair heat map. */
final class Charts {
    private Charts() {}

    /** One colour per concept, in concept order. */
    static final String[] PALETTE = {"#4477aa", "#cc6677", "#228833", "#ccbb44", "#66ccee", "#aa3377", "#bbbbbb"};

    /**
     * Grouped bars: for before / after / influence, one bar per concept at its share of the
     * images, with a whisker for the 95 % interval.
     */
    static String conceptShares(Verdict v) {
        List<Outcome> stages = List.of(v.before(), v.after(), v.influence());
        int concepts = v.before().concepts().size();
        int plotW = 480, plotH = 220, left = 48, top = 16, bottom = 40;
        int groupW = plotW / stages.size();
        int barW = Math.max(8, (groupW - 24) / concepts);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg id=\"concept-shares\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"concept shares before, after and influence\">",
                left + plotW + 150, top + plotH + bottom));
        for (int pct = 0; pct <= 100; pct += 25) {
            double y = top + plotH * (1 - pct / 100.0);
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>", left, left + plotW, y, y));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%d %%</text>", left - 4, y + 4, pct));
        }
        for (int g = 0; g < stages.size(); g++) {
            Outcome o = stages.get(g);
            int x0 = left + g * groupW + 12;
            for (int c = 0; c < concepts; c++) {
                ConceptHits h = o.concepts().get(c);
                double x = x0 + c * barW;
                double y = top + plotH * (1 - h.total().value());
                double yLo = top + plotH * (1 - h.total().lower());
                double yHi = top + plotH * (1 - h.total().upper());
                double mid = x + (barW - 2) / 2.0;
                s.append(String.format(Locale.ROOT,
                        "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %s</title></rect>",
                        x, y, barW - 2, top + plotH - y, PALETTE[c % PALETTE.length], Html.escape(o.kind()),
                        Html.escape(h.concept()), h.total().percent()));
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"start\">%.0f%%</text>",
                        mid + 5, Math.max(top + 8, y - 3), 100 * h.total().value()));
                s.append(String.format(Locale.ROOT,
                        "<path class=\"whisker\" d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f %.1fH%.1f\" stroke=\"#222\" fill=\"none\"/>",
                        mid, yLo, yHi, mid - 4, yLo, mid + 4, mid - 4, yHi, mid + 4));
            }
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"13\" text-anchor=\"middle\">%s</text>",
                    left + g * groupW + groupW / 2, top + plotH + 20, Html.escape(o.kind())));
        }
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#222\"/>", left, left + plotW, top + plotH, top + plotH));
        for (int c = 0; c < concepts; c++) {
            int y = top + 10 + 20 * c;
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>", left + plotW + 16, y, PALETTE[c % PALETTE.length]));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"13\">%s</text>", left + plotW + 34, y + 11,
                    Html.escape(v.before().concepts().get(c).concept())));
        }
        s.append("<text x=\"").append(left + plotW + 16).append("\" y=\"").append(top + 30 + 20 * concepts)
                .append("\" font-size=\"11\" fill=\"#555\">whiskers: 95 % Wilson</text>");
        return s.append("</svg>").toString();
    }

    /** Bars of a histogram (selected scores). */
    static String histogram(String id, double[] edges, long[] counts) {
        int w = 360, h = 120, pad = 20;
        long max = 1;
        for (long c : counts) {
            max = Math.max(max, c);
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">", id, w, h + 2 * pad));
        double bw = (double) w / Math.max(1, counts.length);
        for (int b = 0; b < counts.length; b++) {
            double bh = h * counts[b] / (double) max;
            s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#4477aa\"><title>[%.4f, %.4f): %d</title></rect>",
                    b * bw, pad + h - bh, Math.max(1, bw - 1), bh, edges[b], edges[b + 1], counts[b]));
        }
        if (edges.length > 0) {
            s.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%d\" font-size=\"11\">%.3f</text>", h + 2 * pad - 4, edges[0]));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%.3f</text>", w, h + 2 * pad - 4, edges[edges.length - 1]));
        }
        return s.append("</svg>").toString();
    }

    /**
     * Heat map of the tap-pair means, one cell per (standalone tap, CLIP tap), blue (negative) -
     * white (0) - red (positive), symmetric around 0.
     */
    static BufferedImage heatMap(TapPairMeans m, int cellW, int cellH) {
        int rows = m.rowTaps().size();
        int cols = m.colTaps().size();
        double extent = 1e-12;
        for (double[] row : m.mean()) {
            for (double x : row) {
                if (Double.isFinite(x)) {
                    extent = Math.max(extent, Math.abs(x));
                }
            }
        }
        BufferedImage img = new BufferedImage(cols * cellW, rows * cellH, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int rgb = ColourMaps.diverging(m.mean()[r][c] / extent);
                for (int y = r * cellH; y < (r + 1) * cellH; y++) {
                    for (int x = c * cellW; x < (c + 1) * cellW; x++) {
                        img.setRGB(x, y, rgb);
                    }
                }
            }
        }
        return img;
    }
}
