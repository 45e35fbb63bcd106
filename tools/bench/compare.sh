#!/bin/sh
# Our library against PyTorch, side by side: for each figure, ROUNDS rounds that alternate our `bench`
# and tools/bench/torch_bench.py on the same machine, then the median of each side and their ratio.
#   AGE iteration, mnist32 pair, batch 64, widths 32 and 64, 1 and 2 threads (images/s)
#   Wu et al.'s decoder MLP forward+backward at batches 100 and 1,600, 1 and 2 threads (passes/s)
# Usage: TORCH_PYTHON=/path/to/python-with-torch sh tools/bench/compare.sh [BENCH] [ROUNDS]
# AGE_TORCH_YARDSTICK=/path/to/age_torch.py times PyTorch's AGE iteration with that script instead
# (`--mode bench --nz 64 --ngf W --ndf W --threads T --iters 20`, its "-> N img/s" figure).
set -eu
bench=${1:-.build/release/bench}
rounds=${2:-3}
py=${TORCH_PYTHON:?set TORCH_PYTHON to a Python that has torch}
here=$(dirname "$0")
"$py" -c 'import torch' 2>/dev/null || { echo "compare: $py cannot import torch" >&2; exit 1; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
printf '%-30s %-22s %-22s %s\n' "figure" "ours (rounds)" "PyTorch (rounds)" "ours/PyTorch"
row() {  # name, our command, torch arguments
  name=$1; ours_cmd=$2; torch_args=$3; o=""; t=""
  for r in $(seq "$rounds"); do
    o="$o $($ours_cmd | awk '/images\/s$|passes\/s$/ {print $(NF-1)} /-> [0-9.]+ images\/s/ {for (i=1;i<=NF;i++) if ($i=="->") print $(i+1)}' | tail -1)"
    if [ -n "${AGE_TORCH_YARDSTICK:-}" ] && [ "${torch_args%% *}" = age ]; then
      w=$(echo "$torch_args" | awk '{for (i=1;i<=NF;i++) if ($i=="--width") print $(i+1)}')
      th=$(echo "$torch_args" | awk '{for (i=1;i<=NF;i++) if ($i=="--threads") print $(i+1)}')
      t="$t $("$py" "$AGE_TORCH_YARDSTICK" --mode bench --nz 64 --ngf "$w" --ndf "$w" --threads "$th" --iters 20 | awk '/img\/s/ {for (i=1;i<=NF;i++) if ($i=="img/s") print $(i-1)}' | tail -1)"
    else
      t="$t $("$py" "$here/torch_bench.py" $torch_args | awk '{print $2}')"
    fi
  done
  om=$(echo "$o" | median); tm=$(echo "$t" | median)
  printf '%-30s %-22s %-22s %.2f\n' "$name" "$(echo $o | tr ' ' '/')" "$(echo $t | tr ' ' '/')" "$(echo "$om $tm" | awk '{print $1/$2}')"
}
for w in 32 64; do for th in 1 2; do
  row "AGE width $w, $th thread(s)" "$bench --age-only --configs mnist32 --mlp-batches '' --iters 20 --threads $th --width $w" \
      "age --width $w --threads $th --iters 20"
done; done
for b in 100 1600; do for th in 1 2; do
  row "MLP batch $b, $th thread(s)" "$bench --mlp-only --mlp-batches $b --iters 20 --threads $th" "mlp --batch $b --threads $th --iters 20"
done; done
