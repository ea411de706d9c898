/* Image version file parser (mounts/imgver.c) and its reader on a temp dir. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../identity/safefs.h"
#include "../../mounts/imgver.h"

static const struct {
	const char *text;
	int rc;
	const char *want;
} cases[] = {
	{ "v2\n", 0, "v2" },
	{ "bookworm-2026.11.21+3\n", 0, "bookworm-2026.11.21+3" },
	{ "  v1 \t\r\nignored second line\n", 0, "v1" },
	{ "no-newline", 0, "no-newline" },
	{ "a:b_c.d\n", 0, "a:b_c.d" },
	{ "", -ENODATA, "" },
	{ "\n", -ENODATA, "" },
	{ "   \r\n", -ENODATA, "" },
	{ "\nv1\n", -ENODATA, "" },          /* only the first line counts */
	{ "v 1\n", -EINVAL, "" },            /* blanks inside */
	{ "v1;reboot\n", -EINVAL, "" },      /* ends up in hook environments */
	{ "v1\x01\n", -EINVAL, "" },
	{ "v\xc3\xa9\n", -EINVAL, "" },      /* UTF-8 */
	{ "../v1\n", -EINVAL, "" },
};

static void test_parse_table(void **s)
{
	(void)s;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[IMGVER_MAX] = "junk";
		int rc = imgver_parse(cases[i].text, strlen(cases[i].text), out, sizeof(out));
		if (rc != cases[i].rc || strcmp(out, cases[i].want))
			fail_msg("case %zu '%s': rc %d out '%s', want %d '%s'", i, cases[i].text, rc, out,
				 cases[i].rc, cases[i].want);
	}
}

static void test_parse_length(void **s)
{
	(void)s;
	char out[8];
	assert_int_equal(imgver_parse("1234567\n", 8, out, sizeof(out)), 0);
	assert_string_equal(out, "1234567");
	assert_int_equal(imgver_parse("12345678\n", 9, out, sizeof(out)), -ENAMETOOLONG);
	assert_int_equal(imgver_parse("v1", 2, out, 0), -ENAMETOOLONG);
	/* len, not the NUL, bounds the read */
	assert_int_equal(imgver_parse("v1v2", 2, out, sizeof(out)), 0);
	assert_string_equal(out, "v1");
}

static void put(const char *dir, const char *text)
{
	char path[512];
	FILE *f;
	snprintf(path, sizeof(path), "%s/etc", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/etc/nfsinit", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s%s", dir, IMGVER_PATH);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

static void test_read(void **s)
{
	(void)s;
	char dir[] = "/tmp/nfsinit-imgver.XXXXXX", out[IMGVER_MAX], long_line[300], cmd[600];
	assert_non_null(mkdtemp(dir));
	assert_int_equal(imgver_read(dir, out, sizeof(out)), -ENOENT);
	put(dir, "v7\n");
	assert_int_equal(imgver_read(dir, out, sizeof(out)), 0);
	assert_string_equal(out, "v7");
	memset(long_line, 'x', sizeof(long_line) - 2);
	long_line[sizeof(long_line) - 2] = '\n';
	long_line[sizeof(long_line) - 1] = '\0';
	put(dir, long_line);
	assert_int_equal(imgver_read(dir, out, sizeof(out)), -ENAMETOOLONG);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* Item 3 of issue 13: a FIFO at the version file blocked PID 1 (alarm()
 * turns that into a failed test), and a symlink led out of the root. */
static void test_read_fifo_and_symlinks(void **s)
{
	(void)s;
	char dir[] = "/tmp/nfsinit-imgver.XXXXXX", root[64], out[IMGVER_MAX], cmd[1024];
	assert_non_null(mkdtemp(dir));
	snprintf(root, sizeof(root), "%s/root", dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/etc/nfsinit %s/outside && echo evil > %s/outside/version && "
		 "mkfifo %s%s", root, dir, dir, root, IMGVER_PATH);
	assert_int_equal(system(cmd), 0);
	alarm(5);
	assert_int_equal(imgver_read(root, out, sizeof(out)), -EINVAL);
	alarm(0);
	snprintf(cmd, sizeof(cmd), "rm %s%s && ln -s %s/outside/version %s%s", root, IMGVER_PATH, dir, root, IMGVER_PATH);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(imgver_read(root, out, sizeof(out)), -ELOOP);
	snprintf(cmd, sizeof(cmd), "rm -r %s/etc/nfsinit && ln -s %s/outside %s/etc/nfsinit && "
		 "cp %s/outside/version %s/outside/image-version", root, dir, root, dir, dir);
	assert_int_equal(system(cmd), 0);
	safe_set_openat2(false);   /* the walk older kernels get */
	assert_int_equal(imgver_read(root, out, sizeof(out)), -ELOOP);
	safe_set_openat2(true);
	assert_int_equal(imgver_read(root, out, sizeof(out)), -ELOOP);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_parse_length),
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_read_fifo_and_symlinks),
	};
	return cmocka_run_group_tests_name("imgver", tests, NULL, NULL);
}
