#!/usr/bin/env bash
# Our benchmarks against the PyTorch reference on this machine, in one run: REPS rounds, each running
# ours then the reference's, so that both see the same machine; prints every figure, then the medians.
#
#   bash bench/compare.sh [train|generate|all]      REPS=3 STEPS=20 TORCH_THREADS=1 BLAS_THREADS=1 REPLICAS=1
#
# Needs Debian's python3-torch and libopenblas0-pthread (see bench/reference/README.md). The reference
# script is a copy of the project's golden reference (../shared/reference/transfusion_ref.py).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
what="${1:-all}"
reps="${REPS:-3}" steps="${STEPS:-20}" torch_threads="${TORCH_THREADS:-1}" blas="${BLAS_THREADS:-1}" replicas="${REPLICAS:-1}"
ref=(/usr/bin/python3 "$root/bench/reference/transfusion_ref.py")
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

for ((r = 1; r <= reps; r++)); do
    if [[ "$what" == train || "$what" == all ]]; then
        "$root/transfusion" bench train --steps "$steps" --blas-threads "$blas" --replicas "$replicas" | sed "s/^/ours train: /" | tee -a "$log"
        THREADS="$torch_threads" "${ref[@]}" bench "$steps" | sed "s/^/torch train: /" | tee -a "$log"
    fi
    if [[ "$what" == generate || "$what" == all ]]; then
        # median of 3 images and decodes, as the reference's bench-generate takes (after our unmeasured warm-up)
        "$root/transfusion" bench generate --reps 3 --blas-threads "$blas" | sed "s/^/ours generate: /" | tee -a "$log"
        THREADS="$torch_threads" "${ref[@]}" bench-generate | sed "s/^/torch generate: /" | tee -a "$log"
    fi
done

# median of each named figure, per side
python3 - "$log" <<'PY'
import re, statistics, sys
figures = {}
for line in open(sys.argv[1]):
    side, rest = line.split(":", 1)
    for name, value in re.findall(r"([a-z_]+) ([0-9.]+)", rest):
        figures.setdefault((side.split()[0], name), []).append(float(value))
names = ["median_step_ms", "max_step_ms", "spread", "tokens_per_s", "peak_rss_mb", "decode_ms_per_token_cached",
         "decode_ms_per_token_recompute", "kv_cache_speedup", "image_ms"]
print(f"\n{'figure':32} {'ours':>10} {'torch':>10} {'ours/torch':>11}")
for n in names:
    o, t = figures.get(("ours", n)), figures.get(("torch", n))
    if o and t:
        mo, mt = statistics.median(o), statistics.median(t)
        print(f"{n:32} {mo:10.1f} {mt:10.1f} {mo / mt:11.2f}   (n={len(o)}/{len(t)})")
    elif o:
        print(f"{n:32} {statistics.median(o):10.2f} {'-':>10} {'-':>11}   (n={len(o)}; max over runs {max(o):.2f})")
PY
