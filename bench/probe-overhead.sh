#!/usr/bin/env bash
# What probing every epoch (2000 samples, the default probe set) adds to training the MLP
# 784-1024-1024-10 on Fashion-MNIST for EPOCHS epochs (default 2): the same command with and
# without --probe, alternately (plain first in odd reps, probed first in even ones), REPS times
# (default 2), wall seconds and the load average before each run, and each probe's seconds by part (AGOP/K sweep, correlations, rows + snapshot).
# Then the eigendecomposition behind AGOP^{1/2}, EJML's against Ansatz's (ansatz.bench.EigenTiming).
#   bench/probe-overhead.sh [reps] [epochs]       (needs /usr/share/datasets/fashion-mnist)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
reps="${1:-2}"
epochs="${2:-2}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
train=(train --model mlp:784,1024,1024,10 --data fashion-mnist --loss ce --lr 0.1 --epochs "$epochs" --progress lines)
"$here/ansatz" list >/dev/null # builds the jar first if it is stale, so no run is timed with a build in it

wall() { # runs ./ansatz with the given arguments, prints its wall seconds
  local t0 t1
  t0=$(date +%s.%N)
  "$here/ansatz" "$@" >/dev/null
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}

echo "| rep | load before plain | plain s | load before probed | probed s | overhead % |"
echo "|---|---|---|---|---|---|"
for r in $(seq 1 "$reps"); do
  # Odd reps run plain first, even reps probed first (ABBA): the host's drift over minutes then
  # favours neither side on average.
  if [ $((r % 2)) -eq 1 ]; then
    l1=$(cut -d' ' -f1 /proc/loadavg)
    plain=$(wall "${train[@]}" --out "$out/plain$r")
    l2=$(cut -d' ' -f1 /proc/loadavg)
    probed=$(wall "${train[@]}" --probe --out "$out/probed$r")
  else
    l2=$(cut -d' ' -f1 /proc/loadavg)
    probed=$(wall "${train[@]}" --probe --out "$out/probed$r")
    l1=$(cut -d' ' -f1 /proc/loadavg)
    plain=$(wall "${train[@]}" --out "$out/plain$r")
  fi
  pct=$(echo "scale=1; 100 * ($probed - $plain) / $plain" | bc)
  printf '| %s | %s | %.1f | %s | %.1f | %s |\n' "$r" "$l1" "$plain" "$l2" "$probed" "$pct"
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('  probe seconds:', [round(x,2) for x in d['probe_seconds']], 'by part (sweep, correlations, rows+snapshot):', [[round(x,2) for x in p] for p in d['probe_seconds_by_part_per_probe (agop_and_k, correlations, rows_and_snapshots)']])" \
    "$out/probed$r/probes.json" 2>/dev/null || true
  # Training time alone (the trainer's epoch_seconds exclude listeners): does probing slow the epochs themselves?
  python3 -c "import json,sys; e=[json.load(open(f))['epoch_seconds'] for f in sys.argv[1:]]; print('  epoch seconds plain:', [round(x,2) for x in e[0]], 'probed:', [round(x,2) for x in e[1]])" \
    "$out/plain$r/summary.json" "$out/probed$r/summary.json" 2>/dev/null || true
  # The trainer's own wall clock (training, evaluation and listeners; no JVM start or data load).
  python3 -c "import json,sys; a=json.load(open(sys.argv[1]))['wall_seconds']; b=json.load(open(sys.argv[2]))['wall_seconds']; print('  trainer wall seconds: plain %.1f, probed %.1f: %+.1f%%' % (a, b, 100*(b-a)/a))" \
    "$out/plain$r/summary.json" "$out/probed$r/summary.json" 2>/dev/null || true
  # The probes against the training seconds of the same run (robust to the host's drift between runs).
  python3 -c "import json,sys; p=json.load(open(sys.argv[1]))['probe_seconds']; e=json.load(open(sys.argv[2]))['epoch_seconds']; print('  probes / training, same run: %.1f s / %.1f s = %.0f%%; warm probe / epoch (means): %.2f s / %.2f s = %.0f%%' % (sum(p), sum(e), 100*sum(p)/sum(e), sum(p[1:])/max(1,len(p)-1), sum(e)/len(e), 100*(sum(p[1:])/max(1,len(p)-1))/(sum(e)/len(e))))" \
    "$out/probed$r/probes.json" "$out/probed$r/summary.json" 2>/dev/null || true
done
# Over all reps: the trainer's wall clock summed per side (drift in either direction cancels as far
# as ABBA can make it), and all probes against all training seconds of the probed runs.
python3 - "$out" "$reps" <<'PY' 2>/dev/null || true
import json, sys
out, reps = sys.argv[1], int(sys.argv[2])
load = lambda f: json.load(open(f))
plain = sum(load(f"{out}/plain{r}/summary.json")["wall_seconds"] for r in range(1, reps + 1))
probed = sum(load(f"{out}/probed{r}/summary.json")["wall_seconds"] for r in range(1, reps + 1))
probes = sum(sum(load(f"{out}/probed{r}/probes.json")["probe_seconds"]) for r in range(1, reps + 1))
train = sum(sum(load(f"{out}/probed{r}/summary.json")["epoch_seconds"]) for r in range(1, reps + 1))
print(f"all {reps} reps: trainer wall plain {plain:.1f} s, probed {probed:.1f} s: {100 * (probed - plain) / plain:+.1f}%; "
      f"probes / training within the probed runs: {probes:.1f} s / {train:.1f} s = {100 * probes / train:.0f}%")
PY

jar="$here/bench/target/benchmarks.jar"
if [ -f "$jar" ]; then
  "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" --add-modules jdk.incubator.vector -cp "$jar" ansatz.bench.EigenTiming 3 784 1024 2>/dev/null
else
  echo "(bench/target/benchmarks.jar missing: ./mvnw -q -B -o -pl bench -am install -DskipTests for the eigensolver timing)"
fi
