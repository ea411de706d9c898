/* Log lines: text from outside (a DHCP server's names, a root path) may hold
 * newlines and terminal escapes; each logx call must stay one line, so a
 * server cannot forge an "nfsinit: [...]" line on the console or in the log. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../common/log.h"

static size_t mark(void)
{
	size_t len;
	(void)log_buffer(&len);
	return len;
}

/* What one call added since mark(): it must be exactly one line. */
static const char *added(size_t since, size_t *n)
{
	size_t len;
	const char *buf = log_buffer(&len);
	assert_true(len > since);
	*n = len - since;
	assert_ptr_equal(memchr(buf + since, '\n', *n), buf + len - 1);
	return buf + since;
}

static void test_control_bytes_escaped(void **s)
{
	(void)s;
	size_t n, at = mark();
	logx("net: host name '%s'", "evil\nnfsinit: [0.100] root: fake\r\x1b[2J\x7f");
	const char *line = added(at, &n);
	for (size_t i = 0; i + 1 < n; i++)
		assert_true((unsigned char)line[i] >= 0x20 && line[i] != 0x7f);
	assert_non_null(strstr(line, "evil\\nnfsinit: [0.100] root: fake\\r\\x1b[2J\\x7f'"));
}

static void test_tab_and_utf8_kept(void **s)
{
	(void)s;
	size_t n, at = mark();
	logx("a\tb \xc3\xa9");
	const char *line = added(at, &n);
	assert_non_null(memmem(line, n, "a\tb \xc3\xa9\n", 7));
}

static void test_long_line_stays_one_line(void **s)
{
	(void)s;
	char big[2000];
	size_t n, at = mark();
	memset(big, '\n', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	logerr(5, "x %s", big);
	(void)added(at, &n);
	assert_true(n <= 512);
}

/* A child's lines come through PID 1: in the kept log, in order, each whole,
 * after the parent's earlier line and before its later one. */
static void test_child_lines_relayed(void **s)
{
	(void)s;
	size_t len;
	pid_t pid;

	logx("parent before");
	assert_int_equal(log_child_pipe(), 0);
	pid = fork();
	assert_true(pid >= 0);
	log_child_side(pid == 0);
	if (pid == 0) {
		lognote("child one");
		logx("child two\nforged");
		_exit(0);
	}
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	log_child_drain();
	logx("parent after");
	const char *b = log_buffer(&len);
	const char *p0 = strstr(b, "] parent before\n"), *c1 = strstr(b, "] child one\n"),
		   *c2 = strstr(b, "] child two\\nforged\n"), *p1 = strstr(b, "] parent after\n");
	assert_non_null(p0);
	assert_non_null(c1);
	assert_non_null(c2);
	assert_non_null(p1);
	assert_true(p0 < c1 && c1 < c2 && c2 < p1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_control_bytes_escaped),
		cmocka_unit_test(test_tab_and_utf8_kept),
		cmocka_unit_test(test_long_line_stays_one_line),
		cmocka_unit_test(test_child_lines_relayed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
