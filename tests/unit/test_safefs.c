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
#include "../../mounts/imgver.h"

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

/* Item 3: a FIFO at etc/hostname or etc/hosts of the shared root. Before,
 * the open blocked until a writer came (never, for PID 1). */
static void test_safe_read_fifo_refused(void **s)
{
	(void)s;
	struct err_reason why;
	char buf[64];
	size_t len;
	sh("mkdir -p %s/root/etc && mkfifo %s/root/etc/hostname && mkdir %s/root/etc/hosts", tmpdir, tmpdir, tmpdir);
	int root = open_dir("root");
	alarm(5);
	assert_int_equal(safe_read(root, "etc/hostname", buf, sizeof(buf), &len, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "etc/hostname is not a regular file"));
	assert_int_equal(safe_read(root, "etc/hosts", buf, sizeof(buf), &len, &why), -EINVAL);
	alarm(0);
	close(root);
}

/* Item 3: the image-version reader, FIFO and symlinks out of the root. */
static void test_imgver_fifo_and_symlinks(void **s)
{
	(void)s;
	char root[128], out[IMGVER_MAX];
	snprintf(root, sizeof(root), "%s/root", tmpdir);
	sh("mkdir -p %s/root/etc/nfsinit %s/outside && echo evil > %s/outside/version", tmpdir, tmpdir, tmpdir);
	sh("mkfifo %s/root/etc/nfsinit/image-version", tmpdir);
	alarm(5);
	assert_int_equal(imgver_read(root, out, sizeof(out)), -EINVAL);
	alarm(0);
	sh("rm %s/root/etc/nfsinit/image-version && ln -s %s/outside/version %s/root/etc/nfsinit/image-version",
	   tmpdir, tmpdir, tmpdir);
	assert_int_equal(imgver_read(root, out, sizeof(out)), -ELOOP);
	sh("rm -r %s/root/etc/nfsinit && ln -s %s/outside %s/root/etc/nfsinit && cp %s/outside/version %s/outside/image-version",
	   tmpdir, tmpdir, tmpdir, tmpdir, tmpdir);
	safe_set_openat2(false);   /* the walk older kernels get */
	assert_int_equal(imgver_read(root, out, sizeof(out)), -ELOOP);
	safe_set_openat2(true);
	assert_int_equal(imgver_read(root, out, sizeof(out)), -ELOOP);
	sh("rm %s/root/etc/nfsinit && mkdir %s/root/etc/nfsinit && printf 'v9\\n' > %s/root/etc/nfsinit/image-version",
	   tmpdir, tmpdir, tmpdir);
	assert_int_equal(imgver_read(root, out, sizeof(out)), 0);
	assert_string_equal(out, "v9");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_setid_modes_survive_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_safe_read_fifo_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_imgver_fifo_and_symlinks, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
