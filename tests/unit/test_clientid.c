/* NFSv4 client identity (mounts/clientid.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../mounts/clientid.h"

static const uint8_t MAC_A[6] = { 0x52, 0x54, 0x00, 0x88, 0x00, 0x0a };
static const uint8_t MAC_B[6] = { 0x52, 0x54, 0x00, 0x88, 0x00, 0x0b };

static void test_format(void **s)
{
	(void)s;
	char a[32], b[32];
	assert_int_equal(clientid_format(MAC_A, a, sizeof(a)), (int)strlen("nfsinit-52:54:00:88:00:0a"));
	assert_string_equal(a, "nfsinit-52:54:00:88:00:0a");
	/* two nodes, two identities; the same node twice, the same one */
	clientid_format(MAC_B, b, sizeof(b));
	assert_string_not_equal(a, b);
	clientid_format(MAC_A, b, sizeof(b));
	assert_string_equal(a, b);
	assert_int_equal(clientid_format(MAC_A, a, 25), -ENOBUFS);
	assert_int_equal(clientid_format(MAC_A, a, 26), 25);
}

static void test_set(void **s)
{
	(void)s;
	char path[] = "/tmp/nfsinit-clientid.XXXXXX", got[64] = "";
	int fd = mkstemp(path);
	FILE *f;
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(clientid_set(path, "nfsinit-52:54:00:88:00:0a"), 0);
	assert_non_null(f = fopen(path, "r"));
	assert_non_null(fgets(got, sizeof(got), f));
	fclose(f);
	assert_string_equal(got, "nfsinit-52:54:00:88:00:0a");
	unlink(path);
	/* no nfs module loaded: the parameter file is missing */
	assert_int_equal(clientid_set(path, "x"), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_set),
	};
	return cmocka_run_group_tests_name("clientid", tests, NULL, NULL);
}
