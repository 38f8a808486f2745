# needs: kvm
# COM1 receives what specvisor reads on stdin; input larger than the UART can
# hold waits in the pipe (back-pressure) instead of being dropped.
. "$ROOT/tests/integration/lib.sh"
STATUS=0
printf 'hello there\nsecond line\nquit\n' | "$SPECVISOR" run --kernel "$(guest echo)" > "$WORK/out" 2> "$WORK/err" || STATUS=$?
expect_status 1
expect_out '^echo: hello there$'
expect_out '^echo: second line$'
expect_out '^echo: bye$'
STATUS=0
{ for i in $(seq 400); do echo "line $i of a paste much larger than the UART FIFO and backlog"; done; echo quit; } \
	| "$SPECVISOR" run --kernel "$(guest echo)" > "$WORK/out" 2> "$WORK/err" || STATUS=$?
expect_status 1
n=$(grep -c '^echo: line [0-9]* of a paste' "$WORK/out")
[ "$n" = 400 ] || fail "$n of 400 lines arrived"
expect_out '^echo: line 400 of a paste'
