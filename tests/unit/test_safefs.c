/* identity/safefs.c and the readers of files in the shared root, on a real
 * temporary tree: modes survive a change of owner, and a FIFO or a symlink
 * where a regular file belongs is refused at once instead of blocking PID 1
 * or leading out of the root. alarm() turns a read that would block for ever
 * into a failed test. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../identity/safefs.h"

static char tmpdir[64];

static int setup(void **s)
{
	(void)s;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/nfsinit-safefs.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **s)
{
	char cmd[128];
	(void)s;
	alarm(0);
	safe_set_openat2(true);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

static int open_dir(const char *sub)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", tmpdir, sub);
	int fd = open(p, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	return fd;
}

/* Item 15: chown clears set-user-ID and set-group-ID, so the mode must be
 * set after the owner. Needs root to give a file away. */
static void test_setid_modes_survive_owner(void **s)
{
	(void)s;
	struct err_reason why;
	struct stat st;
	if (geteuid() != 0)
		skip();
	sh("mkdir -p %s/root", tmpdir);
	int root = open_dir("root");
	assert_int_equal(safe_write(root, "usr/bin/suid", "#!/bin/sh\n", 10, 04755, 1000, 1000, &why), 0);
	assert_int_equal(safe_write(root, "usr/bin/sgid", "#!/bin/sh\n", 10, 02755, 1000, 50, &why), 0);
	assert_int_equal(safe_mkdir(root, "srv/shared", 02775, 1000, 50, &why), 0);
	assert_int_equal(fstatat(root, "usr/bin/suid", &st, 0), 0);
	assert_int_equal(st.st_mode & 07777, 04755);
	assert_int_equal(st.st_uid, 1000);
	assert_int_equal(fstatat(root, "usr/bin/sgid", &st, 0), 0);
	assert_int_equal(st.st_mode & 07777, 02755);
	assert_int_equal(st.st_gid, 50);
	assert_int_equal(fstatat(root, "srv/shared", &st, 0), 0);
	assert_int_equal(st.st_mode & 07777, 02775);
	close(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_setid_modes_survive_owner, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
