/* read_all: a file that exactly fills the buffer is whole, one byte more is
 * -EFBIG, an empty file is fine, a bad fd is its errno. */
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

#include "../../common/readall.h"

/* A temporary file holding n bytes of 'x', positioned at its start. */
static int file_of(size_t n)
{
	char path[] = "/tmp/nfsinit-readall.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	unlink(path);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(write(fd, "x", 1), 1);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

static void test_sizes(void **s)
{
	(void)s;
	char buf[8];
	size_t len = 99;
	int fd;

	fd = file_of(0);
	assert_int_equal(read_all(fd, buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 0);
	close(fd);

	fd = file_of(5);
	assert_int_equal(read_all(fd, buf, sizeof(buf), &len), 0);
	assert_int_equal(len, 5);
	close(fd);

	fd = file_of(sizeof(buf));
	assert_int_equal(read_all(fd, buf, sizeof(buf), &len), 0);
	assert_int_equal(len, sizeof(buf));
	assert_memory_equal(buf, "xxxxxxxx", sizeof(buf));
	close(fd);

	fd = file_of(sizeof(buf) + 1);
	assert_int_equal(read_all(fd, buf, sizeof(buf), &len), -EFBIG);
	assert_int_equal(len, sizeof(buf));
	close(fd);

	assert_int_equal(read_all(-1, buf, sizeof(buf), &len), -EBADF);
	assert_int_equal(len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_sizes) };
	return cmocka_run_group_tests(tests, NULL, NULL);
}
