#!/usr/bin/env bash
# Fashion-MNIST MLP epoch time, Ansatz beside PyTorch in one run (issue #4's comparison).
#
# Both sides train 784-1024-1024-10 ReLU, PyTorch default init, plain SGD lr 0.1, batch 128,
# cross-entropy, 2 threads. The sides alternate (torch, ansatz, torch, ansatz, ...) so that a
# machine whose speed drifts affects both; only the per-round ratios mean anything on a shared host.
#
# Usage: bench/fmnist-side-by-side.sh [ROUNDS (default 2)] [EPOCHS per run (default 2)]
# Needs: dataset-fashion-mnist and python3-torch (Debian), the anchors in ../shared/anchors.
# Writes: results/bench/fmnist/side-by-side.md and the raw logs beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-2}
epochs=${2:-2}
anchor=${ANSATZ_ANCHORS:-../shared/anchors}/fmnist_train.py
python=${ANSATZ_PYTHON:-/usr/bin/python3}
out=results/bench/fmnist
data=/usr/share/datasets/fashion-mnist

[[ -f $data/train-images-idx3-ubyte.gz ]] || { echo "fmnist-side-by-side: no Fashion-MNIST in $data (apt-get install -y dataset-fashion-mnist)" >&2; exit 2; }
[[ -f $anchor ]] || { echo "fmnist-side-by-side: PyTorch anchor $anchor not found (set ANSATZ_ANCHORS)" >&2; exit 2; }
"$python" -c 'import torch' 2>/dev/null || { echo "fmnist-side-by-side: $python has no torch (apt-get install -y python3-torch libopenblas0-pthread)" >&2; exit 2; }
mkdir -p "$out"
./ansatz list > /dev/null # build once, outside the timed runs

# Median of the epoch times after the first (the first includes JIT / thread-pool warm-up).
median_after_first() { python3 -c 'import sys,statistics; v=[float(x) for x in sys.argv[1:]]; v=v[1:] or v; print(f"{statistics.median(v):.2f}")' "$@"; }

rows=()
for ((r = 1; r <= rounds; r++)); do
  log=$out/torch-round$r.log
  /usr/bin/time -f "%e %U %S" -o "$out/torch-round$r.time" \
    "$python" "$anchor" --configs t2 --epochs "$epochs" --no-wait > "$log" 2>&1
  torch_epochs=$(python3 -c 'import json,sys
for line in open(sys.argv[1]):
    if line.startswith("{") and "\"fmnist_epoch\"" in line: print(json.loads(line)["train_s"])' "$log")
  torch_acc=$(python3 -c 'import json,sys
v=[json.loads(l) for l in open(sys.argv[1]) if l.startswith("{") and "\"fmnist_epoch\"" in l]; print(v[-1]["test_acc"])' "$log")

  run=$out/ansatz-round$r
  rm -rf "$run"
  /usr/bin/time -f "%e %U %S" -o "$out/ansatz-round$r.time" \
    ./ansatz train --model mlp:784,1024,1024,10 --data fashion-mnist --loss ce --optimizer sgd --lr 0.1 \
      --batch 128 --epochs "$epochs" --seed 0 --threads 2 --out "$run" > "$run.log" 2>&1
  ansatz_epochs=$(python3 -c 'import json,sys; print("\n".join(str(x) for x in json.load(open(sys.argv[1]))["epoch_seconds"]))' "$run/summary.json")
  ansatz_acc=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["final"]["test_accuracy"])' "$run/summary.json")

  # shellcheck disable=SC2086
  t=$(median_after_first $torch_epochs); a=$(median_after_first $ansatz_epochs)
  ratio=$(python3 -c "print(f'{$a/$t:.2f}')")
  load=$(cut -d' ' -f1 /proc/loadavg)
  # CPU seconds (user + sys) of each whole process, a cross-check that is less sensitive to sharing.
  cpu() { awk '{printf "%.0f", $2 + $3}' "$1"; }
  rows+=("| $r | $(echo $ansatz_epochs | tr '\n' ' ' | xargs printf '%.1f ') | $(echo $torch_epochs | tr '\n' ' ' | xargs printf '%.1f ') | $a | $t | **$ratio** | $(cpu "$out/ansatz-round$r.time") | $(cpu "$out/torch-round$r.time") | $ansatz_acc | $torch_acc | $load |")
  echo "round $r: ansatz $a s/epoch, torch $t s/epoch, ratio $ratio (load $load)"
done

{
  echo "# Fashion-MNIST MLP epoch time: Ansatz beside PyTorch"
  echo
  echo "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)."
  echo "784-1024-1024-10 ReLU, SGD lr 0.1, batch 128, cross-entropy, 2 threads, $epochs epochs per run, sides alternating."
  echo "Epoch time = training loop only (evaluation excluded on both sides); median over epochs after the first."
  echo
  echo "CPU s = user + sys of the whole process (data loading, warm-up and evaluation included)."
  echo
  echo "| round | Ansatz epochs (s) | PyTorch epochs (s) | Ansatz median | PyTorch median | ratio | Ansatz CPU s | PyTorch CPU s | Ansatz test acc | PyTorch test acc | load avg |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
} > "$out/side-by-side.md"
cat "$out/side-by-side.md"
