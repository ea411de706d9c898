/* Log lines: text from outside (a DHCP server's names, a root path) may hold
 * newlines and terminal escapes; each logx call must stay one line, so a
 * server cannot forge an "nfsinit: [...]" line on the console or in the log. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_control_bytes_escaped),
		cmocka_unit_test(test_tab_and_utf8_kept),
		cmocka_unit_test(test_long_line_stays_one_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
