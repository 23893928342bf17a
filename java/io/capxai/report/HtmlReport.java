package io.capxai.report;

import io.capxai.images.Images;
import io.capxai.probing.ConceptHits;
import io.capxai.probing.LabelDependence;
import io.capxai.probing.Outcome;
import io.capxai.probing.Verdict;
import io.capxai.selection.ScoreDistribution;
import io.capxai.selection.SelectionSummary;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.capxai.report.Html.escape;

/**
 * Renders an {@link AuditReport} as one self-contained HTML page: no scripts, no external
 * files; charts are inline SVG and pictures are base64 PNGs.
 */
final class HtmlReport {
    private HtmlReport() {}

    static String render(AuditReport r, List<ExampleImage> examples) {
        Verdict headline = r.headlineVerdict();
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>").append(escape(r.title())).append("</title><style>")
                .append("body{font-family:sans-serif;margin:24px;max-width:1100px;color:#222}")
                .append("#answer{font-size:1.6em;font-weight:bold;padding:12px 16px;background:#f3f6fa;border-left:6px solid #4477aa}")
                .append("table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;font-size:.9em}")
                .append("th{background:#f3f3f3}.grid{display:flex;flex-wrap:wrap;gap:12px}.card{width:170px;font-size:.8em}")
                .append(".card img{image-rendering:pixelated;width:112px;height:112px;display:block;border:1px solid #ccc}")
                .append(".ok{color:#227733}.bad{color:#aa2222}.muted{color:#666}.warning{font-weight:bold;padding:8px 12px;border-left:6px solid #aa2222;background:#fbeeee}")
                .append("</style></head><body>\n");
        h.append("<h1>").append(escape(r.title())).append("</h1>\n");
        h.append("<p id=\"answer\">").append(escape(r.answer())).append("</p>\n");
        for (LabelDependence d : r.dependence()) {
            if (d.warning()) {
                h.append("<p class=\"warning bad\">Warning: ").append(escape(d.message())).append("</p>\n");
            }
        }
        if (r.verdict() != null) {
            h.append(VerdictHtml.verdict(r.verdict(), headline.images(), r.clipModel()));
            h.append(VerdictHtml.information(r.information(), r.controls()));
        }
        h.append(VerdictHtml.dependence(r.dependence()));

        h.append("<h2>Paper metric: 4-way influence share</h2>\n<p class=\"muted\">").append(escape(r.paperMetricNote()))
                .append("</p>\n<p class=\"muted\">Influence (after - before surgery) of variant <b>").append(escape(headline.variant()))
                .append("</b> on ").append(headline.images()).append(" images, probed with <b>")
                .append(escape(r.clipModel())).append("</b>: ").append(escape(headline.answer())).append("</p>\n");
        h.append(Charts.conceptShares(headline)).append('\n');
        h.append(outcomeTable(headline));

        h.append("<h2>Paper metric per stage</h2>\n").append(stageTable(r.verdicts()));

        h.append("<h2>Models and options</h2>\n<table><tr><th>role</th><th>model</th><th>details</th></tr>");
        for (ModelDescription m : r.models()) {
            h.append("<tr><td>").append(escape(m.role())).append("</td><td>").append(escape(m.label()))
                    .append("</td><td>").append(escape(m.details())).append("</td></tr>");
        }
        h.append("</table>\n<table><tr><th>option</th><th>value</th></tr>");
        for (Map.Entry<String, String> e : r.options().entrySet()) {
            h.append("<tr><td>").append(escape(e.getKey())).append("</td><td>").append(escape(e.getValue())).append("</td></tr>");
        }
        h.append("</table>\n");

        if (r.selection() != null) {
            h.append(selectionSection(r.selection(), r.clipModel()));
        }
        if (r.scoreMeans() != null) {
            h.append(heatMapSection(r.scoreMeans(), r.clipModel()));
        }
        if (!examples.isEmpty()) {
            h.append(exampleGrid(r, headline, examples));
        }
        return h.append("</body></html>\n").toString();
    }

    private static String outcomeTable(Verdict v) {
        StringBuilder t = new StringBuilder("<table id=\"outcomes\"><tr><th>stage</th><th>concept</th><th>correct</th><th>wrong</th><th>concept share</th></tr>");
        for (Outcome o : List.of(v.before(), v.after(), v.influence())) {
            for (ConceptHits c : o.concepts()) {
                t.append("<tr><td>").append(escape(o.kind())).append("</td><td>").append(escape(c.concept()))
                        .append("</td><td>").append(c.correct().count()).append(" (").append(c.correct().percent())
                        .append(")</td><td>").append(c.wrong().count()).append(" (").append(c.wrong().percent())
                        .append(")</td><td>").append(c.total().percent()).append("</td></tr>");
            }
        }
        return t.append("</table>\n").toString();
    }

    private static String stageTable(List<Verdict> verdicts) {
        List<ConceptHits> first = verdicts.getFirst().influence().concepts();
        StringBuilder t = new StringBuilder("<table id=\"stages\"><tr><th>variant</th>");
        for (ConceptHits c : first) {
            t.append("<th>").append(escape(c.concept())).append(" share after</th>");
        }
        for (ConceptHits c : first) {
            t.append("<th>").append(escape(c.concept())).append(" share of influence</th>");
        }
        t.append("<th>answer</th></tr>");
        for (Verdict v : verdicts) {
            t.append("<tr><td>").append(escape(v.variant())).append("</td>");
            for (ConceptHits c : v.after().concepts()) {
                t.append("<td>").append(c.total().percent()).append("</td>");
            }
            for (ConceptHits c : v.influence().concepts()) {
                t.append("<td>").append(c.total().percent()).append("</td>");
            }
            t.append("<td>").append(escape(v.answer())).append("</td></tr>");
        }
        return t.append("</table>\n").toString();
    }

    private static String selectionSection(SelectionSummary s, String clipModel) {
        StringBuilder t = new StringBuilder("<h2>Selection</h2>\n<p>Rule <b>").append(escape(s.rule()))
                .append("</b>: ").append(s.replacedChannels()).append(" of ").append(s.clipChannels())
                .append(" channels of the ").append(escape(clipModel)).append(" replaced, using <b>")
                .append(s.distinctSources()).append("</b> distinct maps of ").append(s.standaloneChannels())
                .append(" standalone channels.</p>\n<table id=\"selection\"><tr><th>image-text tap</th><th>channels</th><th>replaced</th>")
                .append("<th>distinct sources</th><th>sources by standalone tap</th></tr>");
        for (SelectionSummary.ClipTapSources c : s.perClipTap()) {
            StringBuilder by = new StringBuilder();
            c.sourcesByStandaloneTap().forEach((tap, n) -> by.append(escape(tap)).append(": ").append(n).append("; "));
            t.append("<tr><td>").append(escape(c.clipTap())).append("</td><td>").append(c.channels()).append("</td><td>")
                    .append(c.replaced()).append("</td><td>").append(c.distinctSources()).append("</td><td>")
                    .append(by).append("</td></tr>");
        }
        t.append("</table>\n");
        ScoreDistribution d = s.selectedScores();
        if (d.count() > 0) {
            t.append(String.format(Locale.ROOT, "<p>Selected scores: mean %.4f, sd %.4f, min %.4f, median %.4f, max %.4f.</p>",
                    d.mean(), d.std(), d.min(), d.quantile(0.5), d.max()));
            t.append(Charts.histogram("selected-scores", d.histogramEdges(), d.histogram())).append('\n');
        }
        return t.toString();
    }

    /** The heat-map PNG with the tap names beside it (rows) and above it (columns). */
    private static String heatMapSection(TapPairMeans m, String clipModel) {
        int cellW = Math.max(48, 320 / Math.max(1, m.colTaps().size()));
        int cellH = 14;
        String uri = Images.pngDataUri(Charts.heatMap(m, cellW, cellH));
        double extent = 0;
        for (double[] row : m.mean()) {
            for (double x : row) {
                if (Double.isFinite(x)) {
                    extent = Math.max(extent, Math.abs(x));
                }
            }
        }
        StringBuilder t = new StringBuilder("<h2>Score matrix by tap pair</h2>\n<p class=\"muted\">Mean score of each block of the score matrix: rows are the ")
                .append(m.rowTaps().size()).append(" standalone taps, columns the taps of the ").append(escape(clipModel))
                .append(String.format(Locale.ROOT, ". Blue -%.3g, white 0, red +%.3g.</p>\n", extent, extent));
        t.append("<div style=\"display:grid;grid-template-columns:auto auto;font-size:11px;line-height:")
                .append(cellH).append("px;justify-content:start\"><div></div><div style=\"display:flex\">");
        for (String col : m.colTaps()) {
            t.append("<div style=\"width:").append(cellW).append("px;text-align:center;overflow:hidden\">")
                    .append(escape(col)).append("</div>");
        }
        t.append("</div><div style=\"text-align:right;padding-right:6px\">");
        for (String row : m.rowTaps()) {
            t.append("<div style=\"height:").append(cellH).append("px\">").append(escape(row)).append("</div>");
        }
        t.append("</div><div><img id=\"heatmap\" alt=\"mean score per tap pair\" src=\"").append(uri)
                .append("\"></div></div>\n");
        return t.toString();
    }

    private static String exampleGrid(AuditReport r, Verdict v, List<ExampleImage> examples) {
        StringBuilder t = new StringBuilder("<h2>Examples (").append(escape(v.variant())).append(")</h2>\n<div class=\"grid\" id=\"examples\">");
        for (ExampleImage e : examples) {
            if (e.index() >= v.images()) {
                throw new IllegalArgumentException("example image " + e.index() + " is not among the " + v.images() + " evaluated images");
            }
            t.append("<div class=\"card\"><img alt=\"image ").append(e.index()).append("\" src=\"")
                    .append(Images.pngDataUri(Images.enlarge(e.image(), 112))).append("\"><div>#").append(e.index());
            for (int c = 0; c < r.labels().concepts().size(); c++) {
                t.append(" ").append(escape(r.labels().concepts().get(c))).append("=").append(escape(r.labels().labels()[e.index()][c]));
            }
            t.append("</div>");
            t.append(topCaption("before", v.before(), v.captions(), e.index()));
            t.append(topCaption("after", v.after(), v.captions(), e.index()));
            t.append(topCaption("influence", v.influence(), v.captions(), e.index()));
            t.append("</div>");
        }
        return t.append("</div>\n").toString();
    }

    private static String topCaption(String kind, Outcome o, List<String> captions, int image) {
        return "<div><span class=\"muted\">" + kind + ":</span> " + escape(captions.get(o.topCaption()[image])) + "</div>";
    }
}
