# shellcheck shell=sh
# tests/lib/report.sh: the one pass/fail/skip report every shell test prints.
# Plain POSIX sh, so /bin/sh tests (tests/mkimage/run) source it as well as the
# bash ones (through tests/boot/lib.sh). CI reads the closing line:
#   [T_NAME: ]N passed, N failed
# Settings, before the first t_* call:
#   T_NAME=name     prefix of the closing line (faults, identity, ...)
#   T_SUMMARY=1     repeat every PASS/FAIL/SKIP line above the closing line
#   NFSINIT_BOOT_REQUIRE=1  t_missing fails instead of skipping (CI)

T_PASSED=0 T_FAILED=0 T_SKIPPED=0 T_LINES=""

_t_line() { # TEXT: print one result line and keep it for the summary
	printf '%s\n' "$1"
	T_LINES="$T_LINES$1
"
}

# t_pass WHAT [DETAIL]
t_pass() { T_PASSED=$((T_PASSED + 1)); _t_line "PASS $1${2:+  ($2)}"; }

# t_fail WHAT [WHY [LOG]]: LOG's last 40 lines follow (a console, a build log).
t_fail() {
	T_FAILED=$((T_FAILED + 1)); _t_line "FAIL $1${2:+: $2}"
	if [ -n "${3:-}" ] && [ -f "$3" ]; then
		echo "---- last 40 lines of $3 ----"
		tr -d '\r' <"$3" | tail -n 40 | sed 's/^/| /'
		echo "----"
	fi
}

# t_skip WHAT WHY: a skipped test says why.
t_skip() { T_SKIPPED=$((T_SKIPPED + 1)); _t_line "SKIP $1: $2"; }

# t_check WHAT CMD...: passes when CMD succeeds.
t_check() { t_what=$1; shift; if "$@"; then t_pass "$t_what"; else t_fail "$t_what"; fi; }

# t_finish: the summary and the closing line; exits 0 only when nothing failed.
t_finish() {
	if [ -n "${T_SUMMARY:-}" ]; then echo; printf '%s' "$T_LINES"; fi
	[ "$T_SKIPPED" -gt 0 ] && echo "$T_SKIPPED skipped"
	echo "${T_NAME:+$T_NAME: }$T_PASSED passed, $T_FAILED failed"
	[ "$T_FAILED" -eq 0 ]
	exit
}

# t_missing WHY CASE...: a prerequisite is missing, so every CASE is skipped
# (failed under NFSINIT_BOOT_REQUIRE=1), and the test ends.
t_missing() {
	t_why=$1; shift
	for t_case in "$@"; do
		if [ -n "${NFSINIT_BOOT_REQUIRE:-}" ]; then t_fail "$t_case" "$t_why"; else t_skip "$t_case" "$t_why"; fi
	done
	t_finish
}
