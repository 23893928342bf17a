#!/usr/bin/env bash
# Spark local[N] vs the single JVM on the same audit: random ResNet-50 and CLIP RN50 weights (224 px),
# STATS images for the statistics pass and EVAL images evaluated. Usage: bench/spark/run.sh [STATS] [EVAL] [MASTER]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
stats=${1:-200}; eval=${2:-50}; master=${3:-local[2]}
work=${CAPXAI_BENCH_DIR:-/tmp/capxai-spark-bench}
mkdir -p "$work"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
"$root/capxai" --version >/dev/null   # builds when needed

if [[ ! -f "$work/clip.safetensors" || ! -f "$work/stats-$stats/labels.csv" || ! -f "$work/eval-$eval/labels.csv" ]]; then
  cat > "$work/make.jsh" <<JSH
import io.capxai.models.RandomWeights;
import io.capxai.weights.Safetensors;
import io.capxai.data.RgbImage;
import java.nio.file.*;
Safetensors.write(Path.of("$work/resnet50.safetensors"), RandomWeights.resnet50(2, 1).asMap(), java.util.Map.of());
Safetensors.write(Path.of("$work/clip.safetensors"), RandomWeights.clipResNet(new int[] {3, 4, 6, 3}, 64, 224, 1024, 512, 1, 49408, 2).asMap(), java.util.Map.of("name", "random CLIP RN50"));
void folder(String name, int n, long seed) throws Exception {
    Path d = Files.createDirectories(Path.of("$work", name));
    java.util.Random r = new java.util.Random(seed);
    StringBuilder csv = new StringBuilder("file,shape,colour\n");
    for (int i = 0; i < n; i++) {
        boolean red = r.nextBoolean();
        RgbImage img = RgbImage.black(224, 224);
        for (int p = 0; p < 6000; p++) img.set(r.nextInt(224), r.nextInt(224), red ? 0 : 1, 200 + r.nextInt(56));
        javax.imageio.ImageIO.write(img.toBufferedImage(), "png", d.resolve("img" + i + ".png").toFile());
        csv.append("img" + i + ".png," + (i % 2 == 0 ? "5" : "8") + "," + (red ? "red" : "green") + "\n");
    }
    Files.writeString(d.resolve("labels.csv"), csv);
}
folder("stats-$stats", $stats, 1);
folder("eval-$eval", $eval, 2);
/exit
JSH
  "$JAVA_HOME/bin/jshell" -R--enable-native-access=ALL-UNNAMED -R-Dcapxai.native.dir="$root/target/classes/native/linux-x86_64" \
    --class-path "$root/target/classes:$(cat "$root/target/classpath.txt")" "$work/make.jsh"
fi

# --controls 0: Spark audits run no random-weight controls, so neither run does (the same work on both sides)
args=(audit --standalone "$work/resnet50.safetensors" --clip "$work/clip.safetensors"
      --stats "$work/stats-$stats" --eval "$work/eval-$eval" --controls 0)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "single JVM: %e s wall, %M KB max RSS" "$root/capxai" "${args[@]}" --out "$work/single" 2>&1 | grep -v '%\|NNPACK\|SLF4J'
echo "load between: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f "spark $master: %e s wall, %M KB max RSS" "$root/capxai" "${args[@]}" --out "$work/spark" --spark "$master" 2>&1 \
  | grep -v '%\|NNPACK\|SLF4J'
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
