/* switch_check_init: init is looked up as the new root will see it. An
 * absolute /sbin/init symlink (/sbin/init -> /lib/systemd/systemd) must be
 * followed inside newroot also on kernels without openat2 (before 5.6),
 * where it used to be followed in the initramfs (issue 13 item 8). The tree
 * uses names the host does not have, so following the link outside fails. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../mounts/mounts.h"

static char root[64];

static int setup(void **s)
{
	(void)s;
	char cmd[512];
	snprintf(root, sizeof(root), "/tmp/nfsinit-swroot.XXXXXX");
	if (!mkdtemp(root))
		return -1;
	snprintf(cmd, sizeof(cmd),
		 "cd %s && mkdir -p sbin nfsi-lib/sd usr/bin && printf '#!/bin/sh\\n' >nfsi-lib/sd/sd && chmod 755 nfsi-lib/sd/sd && "
		 "ln -s /nfsi-lib/sd/sd sbin/init && ln -s ../../nfsi-lib/sd/sd usr/bin/rel && "
		 "ln -s /../../../nfsi-lib/sd/sd sbin/dotdot && ln -s /nfsi-lib sbin/dirlink && "
		 "ln -s loop1 sbin/loop2 && ln -s loop2 sbin/loop1 && printf x >sbin/noexec && "
		 "ln -s /nfsi-lib/missing sbin/dangling", root);
	return system(cmd) == 0 ? 0 : -1;
}

static int teardown(void **s)
{
	char cmd[128];
	(void)s;
	switch_set_openat2(true);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void check_all(void)
{
	assert_int_equal(switch_check_init(root, "/sbin/init"), 0);
	assert_int_equal(switch_check_init(root, "/usr/bin/rel"), 0);
	assert_int_equal(switch_check_init(root, "/sbin/dotdot"), 0);     /* ".." stops at the root */
	assert_int_equal(switch_check_init(root, "/sbin/dirlink/sd/sd"), 0);
	assert_int_equal(switch_check_init(root, "/sbin/loop1"), -ELOOP);
	assert_int_equal(switch_check_init(root, "/sbin/noexec"), -EACCES);
	assert_int_equal(switch_check_init(root, "/sbin/dangling"), -ENOENT);
	assert_int_equal(switch_check_init(root, "/sbin"), -EACCES);       /* a directory */
}

static void test_openat2(void **s)
{
	(void)s;
	switch_set_openat2(true);
	check_all();
}

static void test_walk_without_openat2(void **s)
{
	(void)s;
	switch_set_openat2(false);
	check_all();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_openat2, setup, teardown),
		cmocka_unit_test_setup_teardown(test_walk_without_openat2, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
