/* Bounded retry: the waits double up to the cap, the whole time asked for is
 * used (the last wait is cut to the limit), and it stops once the limit passed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "../../common/backoff.h"
#include "../../common/log.h"

static void test_bounded(void **s)
{
	(void)s;
	struct backoff b;
	int waits = 0;
	backoff_start(&b, 700, 100, 200);
	/* 100, 200, 200, 200 = 700: then the limit has passed */
	while (backoff_wait(&b, "test"))
		waits++;
	long long ms = backoff_elapsed(&b);
	assert_true(ms >= 700);          /* never gives up before the limit */
	assert_true(ms < 700 + 1000);    /* nor sleeps much past it */
	assert_true(waits >= 3 && waits <= 5);
	assert_int_equal(b.attempts, waits + 1);
	assert_int_equal(b.delay_ms, 200); /* doubled, then capped */
}

static void test_last_wait_cut(void **s)
{
	(void)s;
	struct backoff b;
	backoff_start(&b, 250, 1000, 8000);
	/* a first wait of 1 s would pass the 250 ms limit: it is cut to it */
	assert_true(backoff_wait(&b, "test"));
	long long ms = backoff_elapsed(&b);
	assert_true(ms >= 250 && ms < 900);
	assert_false(backoff_wait(&b, "test"));
	assert_int_equal(b.attempts, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_last_wait_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
