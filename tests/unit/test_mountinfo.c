/* /proc/self/mountinfo source lookup (mounts/mountinfo.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "../../mounts/mountinfo.h"

/* Captured from a booted node (nfsinit's mounts before the switch), plus a
 * second mount stacked on the same point and an escaped space. */
static const char INFO[] =
	"1 1 0:2 / / rw - rootfs rootfs rw\n"
	"20 1 0:20 / /proc rw,nosuid,nodev,noexec,relatime shared:2 - proc proc rw\n"
	"23 1 0:23 / /run rw,nosuid,nodev shared:5 - tmpfs tmpfs rw,mode=755\n"
	"25 23 0:25 / /run/nfsinit/lower ro,relatime shared:7 - nfs4 10.88.0.1:/images/v1 "
	"ro,vers=4.2,rsize=1048576,wsize=1048576,namlen=255,hard,proto=tcp,timeo=600,retrans=2,sec=sys,"
	"clientaddr=10.88.0.10,local_lock=none,addr=10.88.0.1\n"
	"26 23 0:26 / /run/nfsinit/rw rw,relatime shared:8 - tmpfs tmpfs rw,size=262144k\n"
	"27 1 0:27 / /mnt/a\\040b rw master:1 shared:9 - nfs srv:/x\\040y rw\n";

static void test_found(void **s)
{
	(void)s;
	char out[128];
	assert_int_equal(mountinfo_source(INFO, strlen(INFO), "/run/nfsinit/lower", out, sizeof(out)), 0);
	assert_string_equal(out, "10.88.0.1:/images/v1");
	assert_int_equal(mountinfo_source(INFO, strlen(INFO), "/run/nfsinit/rw", out, sizeof(out)), 0);
	assert_string_equal(out, "tmpfs");
	/* escapes in the mount point and the source; two optional fields */
	assert_int_equal(mountinfo_source(INFO, strlen(INFO), "/mnt/a b", out, sizeof(out)), 0);
	assert_string_equal(out, "srv:/x y");
}

static void test_last_wins(void **s)
{
	(void)s;
	char out[64];
	const char *t = "25 23 0:25 / /run/x ro - nfs4 a:/v1 ro\n"
			"30 25 0:30 / /run/x ro - nfs4 a:/v2 ro";   /* no final newline */
	assert_int_equal(mountinfo_source(t, strlen(t), "/run/x", out, sizeof(out)), 0);
	assert_string_equal(out, "a:/v2");
}

static void test_missing_and_malformed(void **s)
{
	(void)s;
	char out[64] = "";
	const char *bad[] = {
		"",
		"25 23 0:25 / /run/x\n",                 /* cut after the mount point */
		"25 23 0:25 / /run/x ro shared:7\n",     /* no separator */
		"25 23 0:25 / /run/x ro - nfs4\n",       /* no source */
		"25 23 0:25 / /run/xy ro - nfs4 a:/v1 ro\n",
		"25 23 0:25 / /run ro - nfs4 a:/v1 ro\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(mountinfo_source(bad[i], strlen(bad[i]), "/run/x", out, sizeof(out)), -ENOENT);
	assert_int_equal(mountinfo_source(INFO, strlen(INFO), "/nowhere", out, sizeof(out)), -ENOENT);
	/* len bounds the read: the line is cut before its source */
	assert_int_equal(mountinfo_source(INFO, strlen(INFO) - strlen(" srv:/x\\040y rw\n"), "/mnt/a b", out,
					  sizeof(out)), -ENOENT);
}

static void test_too_long(void **s)
{
	(void)s;
	char out[8];
	assert_int_equal(mountinfo_source(INFO, strlen(INFO), "/run/nfsinit/lower", out, sizeof(out)),
			 -ENAMETOOLONG);
	assert_int_equal(mountinfo_source(INFO, strlen(INFO), "/run/nfsinit/rw", out, sizeof(out)), 0);
	assert_string_equal(out, "tmpfs");
}

static void test_read_self(void **s)
{
	(void)s;
	char out[256];
	/* every Linux process has / in its mountinfo */
	assert_int_equal(mountinfo_read_source("/", out, sizeof(out)), 0);
	assert_true(out[0] != '\0');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_found),
		cmocka_unit_test(test_last_wins),
		cmocka_unit_test(test_missing_and_malformed),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_read_self),
	};
	return cmocka_run_group_tests_name("mountinfo", tests, NULL, NULL);
}
