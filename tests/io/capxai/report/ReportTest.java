package io.capxai.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.capxai.matching.ScoreMatrix;
import io.capxai.matching.TapBlock;
import io.capxai.probing.CaptionSet;
import io.capxai.probing.ControlRun;
import io.capxai.probing.ImageLabels;
import io.capxai.probing.InformationVerdict;
import io.capxai.probing.LabelDependence;
import io.capxai.probing.VariantInformation;
import io.capxai.probing.Verdict;
import io.capxai.selection.Selection;
import io.capxai.selection.SelectionSummary;
import io.capxai.testing.Requirements;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path dir;

    /** A synthetic audit: 3 standalone taps x 2 CLIP taps, 40 coloured digits, two surgery variants. */
    static AuditReport syntheticReport(List<ExampleImage> examplesOut) {
        Random rnd = new Random(5);
        List<TapBlock> rows = List.of(new TapBlock("conv1", 0, 8, 112, 112), new TapBlock("layer1.0.conv1", 8, 16, 56, 56),
                new TapBlock("layer2.0.conv1", 24, 16, 28, 28));
        List<TapBlock> cols = List.of(new TapBlock("layer1", 0, 6, 56, 56), new TapBlock("layer2", 6, 10, 28, 28));
        float[] v = new float[40 * 16];
        for (int i = 0; i < v.length; i++) {
            int row = i / 16;
            int col = i % 16;
            // later standalone taps match the later CLIP tap better
            v[i] = (float) (0.1 * rnd.nextGaussian() + (row >= 24 && col >= 6 ? 0.3 : 0) + (row < 8 ? -0.2 : 0));
        }
        ScoreMatrix scores = new ScoreMatrix(rows, cols, v);
        CaptionSet captions = CaptionSet.coloredMnist();
        int n = 40;
        String[][] labels = new String[n][];
        float[][] before = new float[n][4];
        float[][] afterLayer1 = new float[n][];
        float[][] afterAll = new float[n][];
        for (int i = 0; i < n; i++) {
            boolean five = i % 2 == 0;
            labels[i] = new String[] {five ? "5" : "8", five ? "red" : "green"};
            for (int k = 0; k < 4; k++) {
                before[i][k] = 0.2f + 0.02f * rnd.nextFloat();
            }
            afterLayer1[i] = before[i].clone();
            afterLayer1[i][rnd.nextInt(4)] += 0.05f;
            afterAll[i] = before[i].clone();
            afterAll[i][i % 5 == 0 ? (five ? 0 : 1) : (five ? 3 : 2)] += 0.05f;   // 80 % colour
            if (examplesOut != null && i < 6) {
                float[] chw = new float[3 * 28 * 28];
                for (int y = 6; y < 22; y++) {
                    for (int x = 10; x < 18; x++) {
                        chw[(five ? 0 : 1) * 784 + y * 28 + x] = 1f;
                    }
                }
                examplesOut.add(ExampleImage.fromRgb(i, chw, 28, 28));
            }
        }
        ImageLabels imageLabels = new ImageLabels(captions.conceptNames(), labels);
        List<Verdict> verdicts = Verdict.ofAll(captions, imageLabels, List.of(
                new Verdict.Variant("layer1 only", before, afterLayer1),
                new Verdict.Variant("layer1..layer2", before, afterAll)));
        Map<String, String> options = new LinkedHashMap<>();
        options.put("statistics split", "train");
        options.put("evaluation split", "test");
        options.put("surgery resize", "bilinear");
        return AuditReport.of("Bias audit: ResNet-18 on colored MNIST",
                ModelDescription.standalone("ResNet-18", "biased colored MNIST, 3 taps"),
                ModelDescription.localClip("mini-RN", "ModifiedResNet, width 32"),
                options, SelectionSummary.of(Selection.argmax().select(scores)), TapPairMeans.of(scores),
                verdicts, imageLabels, null);
    }

    @Test
    void jsonRoundTripsAndKeepsEverything() throws IOException {
        AuditReport report = syntheticReport(null);
        Path json = dir.resolve("report.json");
        ReportWriter.writeJson(report, json);
        AuditReport back = ReportWriter.readJson(json);
        ObjectMapper mapper = new ObjectMapper();
        JsonNode first = mapper.readTree(json.toFile());
        JsonNode second = mapper.readTree(ReportWriter.toJson(back));
        assertEquals(first, second);
        assertEquals(report.answer(), back.answer());
        assertEquals("layer1..layer2", back.headline());
        assertTrue(back.answer().startsWith("dominant concept: colour, 80 % ["), back.answer());
        assertEquals(40, first.at("/verdicts/1/influence/topCaption").size(), "per-image argmax is in the JSON");
        assertEquals("CLIP-style model trained locally (mini-RN)", first.get("clipModel").asText());
        assertEquals(report.verdicts().get(1).influence().hits("colour").total(), back.verdicts().get(1).influence().hits("colour").total());
    }

    /** The synthetic report with an information verdict against two controls (one of them with an undefined retained share). */
    static AuditReport withVerdict() {
        AuditReport paper = syntheticReport(null);
        ImageLabels labels = paper.labels();
        CaptionSet captions = CaptionSet.coloredMnist();
        float[][] clean = new float[labels.images()][];
        float[][] noShape = new float[labels.images()][];
        for (int i = 0; i < labels.images(); i++) {
            boolean five = labels.label(i, "shape").equals("5");
            boolean red = labels.label(i, "colour").equals("red");
            clean[i] = new float[] {five ? .3f : .1f, five ? .1f : .3f, red ? .1f : .2f, red ? .2f : .1f};
            noShape[i] = clean[i].clone();
            noShape[i][0] = i % 4 < 2 ? .3f : .1f;
            noShape[i][1] = i % 4 < 2 ? .1f : .3f;
        }
        VariantInformation model = VariantInformation.of("layer1..layer2", captions, labels, clean, clean);
        List<ControlRun> controls = List.of(
                new ControlRun(1, "ResNet-18 with random weights", List.of(VariantInformation.of("layer1..layer2", captions, labels, clean, noShape)), false),
                new ControlRun(2, "ResNet-18 with random weights", List.of(VariantInformation.of("layer1..layer2", captions, labels, noShape, noShape)), true));
        InformationVerdict verdict = InformationVerdict.of(model, controls.stream().map(c -> c.information().getLast()).toList());
        return paper.withVerdict(verdict, List.of(model), controls, LabelDependence.of(labels));
    }

    @Test
    void theInformationVerdictIsTheAnswerAndRoundTrips() throws IOException {
        AuditReport report = withVerdict();
        assertTrue(report.answer().startsWith("carries shape ("), report.answer());
        assertTrue(report.answer().contains("carries colour? not above the controls"), report.answer());
        Path json = dir.resolve("verdict.json");
        ReportWriter.writeJson(report, json);
        AuditReport back = ReportWriter.readJson(json);
        assertEquals(report.verdict(), back.verdict());
        assertEquals(report.answer(), back.answer());
        assertTrue(Double.isNaN(back.controls().get(1).information().getFirst().concept("shape").retained()));
        String html = ReportWriter.html(report, List.of());
        assertTrue(html.contains("id=\"verdict\"") && html.contains("id=\"information\"") && html.contains("id=\"dependence\""));
        assertTrue(html.contains("Warning: shape and colour labels depend on each other"), "the synthetic labels are confounded");
        assertTrue(html.contains(AuditReport.PAPER_METRIC_NOTE));
    }

    @Test
    void theLocalModelIsNeverCalledJustClip() throws IOException {
        List<ExampleImage> examples = new ArrayList<>();
        AuditReport report = syntheticReport(examples);
        String json = ReportWriter.toJson(report);
        String html = ReportWriter.html(report, examples);
        for (String text : List.of(json, html)) {
            assertTrue(text.contains(ModelDescription.LOCAL_CLIP));
            String rest = text.replace(ModelDescription.LOCAL_CLIP, "");
            assertFalse(Pattern.compile("\\bCLIP\\b").matcher(rest).find(), "bare 'CLIP' in output");
        }
        assertThrows(IllegalArgumentException.class,
                () -> new ModelDescription("image-text", "CLIP", "mini", "", true));
    }

    @Test
    void htmlIsSelfContained() {
        List<ExampleImage> examples = new ArrayList<>();
        String html = ReportWriter.html(syntheticReport(examples), examples);
        String withoutSvgNamespace = html.replace("http://www.w3.org/2000/svg", "");
        assertFalse(withoutSvgNamespace.contains("http:") || withoutSvgNamespace.contains("https:"), "no external links");
        assertFalse(Pattern.compile("src=\"(?!data:)").matcher(html).find(), "every picture is inline");
        assertFalse(html.contains("<script"));
        assertEquals(7, html.split("data:image/png;base64,", -1).length - 1, "heat map + 6 examples");
    }

    @Test
    void missingOrCorruptReportFilesGiveClearErrors() throws IOException {
        assertThrows(java.nio.file.NoSuchFileException.class, () -> ReportWriter.readJson(dir.resolve("none.json")));
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"title\": 3, \"verdicts\": [");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReportWriter.readJson(bad));
        assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExampleImage.fromRgb(0, new float[10], 28, 28));
    }

    /** Opens the page in headless Chromium and checks the rendered DOM; also leaves a screenshot. */
    @Test
    void rendersInHeadlessChromium() throws Exception {
        Requirements.assumeOrFailInCi(Files.isExecutable(CHROMIUM),
                "Chromium is not installed at " + CHROMIUM + " (apt-get install chromium): skipping the browser check");
        List<ExampleImage> examples = new ArrayList<>();
        AuditReport report = syntheticReport(examples);
        Path html = ReportWriter.write(report, examples, dir.resolve("out"));
        String dom = chromium(html, "--dump-dom");
        assertTrue(dom.contains("id=\"answer\""), "answer element rendered");
        assertTrue(dom.contains(report.answer()), "answer text rendered");
        assertTrue(dom.contains("<svg id=\"concept-shares\""), "chart rendered");
        assertTrue(dom.split("class=\"bar\"", -1).length - 1 == 6, "3 stages x 2 concepts bars");
        assertTrue(dom.contains("id=\"stages\"") && dom.contains("layer1 only"), "per-stage table rendered");
        Path png = Path.of(System.getProperty("java.io.tmpdir"), "capxai-report-screenshot.png");
        Files.deleteIfExists(png);
        chromium(html, "--screenshot=" + png, "--window-size=1200,2400");
        assertTrue(Files.size(png) > 10_000, "screenshot written to " + png);
    }

    private String chromium(Path html, String... mode) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(dir, "chromium-profile");
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile));
        cmd.addAll(List.of(mode));
        cmd.add(html.toUri().toString());
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("chromium.err").toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not finish in 60 s");
        }
        assertEquals(0, p.exitValue(), () -> "chromium failed: " + readQuietly(dir.resolve("chromium.err")));
        return out;
    }

    private static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
