#!/usr/bin/env bash
# specvisor benchmarks.  Everything is measured side by side in one run and
# reported as ratios (this machine is shared and noisy); results go to
# stdout as Markdown, ready for docs/performance.md.
#   bench/run.sh [ROUNDS]      (make bench)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-10}
B=${BUILD:-build}
SV=$B/specvisor
G=$B/guest
mkdir -p "$B/bench"
CFLAGS="-std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror -Isrc"
cc $CFLAGS bench/startup.c -o "$B/bench/startup"
cc $CFLAGS bench/bare_msr.c "$B/libspecvisor.a" -ljansson -lpthread -o "$B/bench/bare_msr"

if ! command -v qemu-system-x86_64 >/dev/null; then
	echo "bench: installing qemu-system-x86 for the side-by-side start-up comparison" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends qemu-system-x86 >/dev/null
fi

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

echo "## Start-up: exec to first serial byte, and to exit (hello guest, $rounds rounds, alternating)"
echo
QEMU=(qemu-system-x86_64 -accel kvm -cpu host,-arch-capabilities -M pc -m 128 -nographic -nodefaults
      -no-reboot -serial stdio -device isa-debug-exit,iobase=0xf4,iosize=0x04 -kernel "$G/tests/hello.elf")
: > "$B/bench/sv.txt"; : > "$B/bench/qemu.txt"
for _ in $(seq "$rounds"); do
	"$B/bench/startup" 1 -- "$SV" run --kernel "$G/tests/hello.elf" >> "$B/bench/sv.txt"
	"$B/bench/startup" 1 -- "${QEMU[@]}" >> "$B/bench/qemu.txt"
done
sv_first=$(awk '{print $1}' "$B/bench/sv.txt" | median); sv_exit=$(awk '{print $2}' "$B/bench/sv.txt" | median)
q_first=$(awk '{print $1}' "$B/bench/qemu.txt" | median); q_exit=$(awk '{print $2}' "$B/bench/qemu.txt" | median)
awk -v a="$sv_first" -v b="$sv_exit" -v c="$q_first" -v d="$q_exit" 'BEGIN {
	printf "| | specvisor | QEMU %s | QEMU / specvisor |\n|---|---|---|---|\n", "'"$(qemu-system-x86_64 --version | head -1 | awk '{print $4}')"'"
	printf "| first serial byte (median) | %.1f ms | %.1f ms | %.1fx |\n", a/1e6, c/1e6, c/a
	printf "| exit (median) | %.1f ms | %.1f ms | %.1fx |\n", b/1e6, d/1e6, d/b }'
echo

echo "## Memory: specvisor resident memory beyond guest RAM (idle guest, --mem 128M)"
echo
"$SV" run --kernel "$G/tests/idle.elf" --mem 128M > "$B/bench/idle.out" 2>/dev/null &
pid=$!
for _ in $(seq 100); do grep -q 'idle: waiting' "$B/bench/idle.out" && break; sleep 0.05; done
# Sum the resident memory of every mapping except guest RAM (the 128 MiB one).
extra=$(python3 - "/proc/$pid/smaps" <<'PY'
import sys
total, ram = 0, False
for line in open(sys.argv[1]):
    f = line.split()
    if "-" in f[0] and len(f) >= 5 and not line.startswith(("Rss", "Pss")) and ":" not in f[0]:
        lo, hi = (int(x, 16) for x in f[0].split("-"))
        ram = hi - lo == 128 << 20
    elif f[0] == "Rss:" and not ram:
        total += int(f[1])
print(total)
PY
)
total=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
kill -TERM $pid; wait $pid || true
echo "| resident beyond guest RAM | total VmRSS |"
echo "|---|---|"
echo "| $((extra)) KiB ($(awk -v k="$extra" 'BEGIN{printf "%.2f", k/1024}') MiB) | $total KiB |"
echo

echo "## MSR exit cost: one intercepted IA32_SPEC_CTRL write, specvisor vs a bare KVM_RUN loop"
echo
n=2000
: > "$B/bench/msr_sv.txt"; : > "$B/bench/msr_bare.txt"
for _ in $(seq "$rounds"); do
	"$SV" run --cpu-model zen3 --kernel "$G/tests/msrloop.elf" --append "n=$n" 2>/dev/null \
		| sed -n 's/.*tsc=\([0-9]*\) faults=\([0-9]*\).*/\1 \2/p' >> "$B/bench/msr_sv.txt" || true
	"$B/bench/bare_msr" "$G/tests/msrloop.elf" "n=$n" \
		| sed -n 's/.*tsc=\([0-9]*\) faults=\([0-9]*\).*/\1 \2/p' >> "$B/bench/msr_bare.txt" || true
done
if awk '$2 != 0 {bad=1} END {exit !bad}' "$B/bench/msr_sv.txt"; then
	echo "bench: the msrloop guest took #GP under specvisor: the model lacks SPEC_CTRL" >&2
	exit 1
fi
s=$(awk '{print $1}' "$B/bench/msr_sv.txt" | median); b=$(awk '{print $1}' "$B/bench/msr_bare.txt" | median)
# Rounds ran in pairs, back to back: the median of the per-pair ratios cancels
# most of the drift of this shared machine.
r=$(paste -d' ' "$B/bench/msr_sv.txt" "$B/bench/msr_bare.txt" | awk '{print $1 / $3}' | median)
awk -v s="$s" -v b="$b" -v n="$n" -v r="$r" -v k="$rounds" 'BEGIN {
	printf "| | TSC ticks per write (median of %d rounds, %d writes each) |\n|---|---|\n", k, n
	printf "| bare KVM_RUN loop (answers the exit, no work) | %.0f |\n", b/n
	printf "| specvisor (full MSR layer, --cpu-model zen3) | %.0f |\n", s/n
	printf "| specvisor / bare, median of paired rounds | %.3f (adds %.1f%%) |\n", r, (r - 1) * 100 }'
