#include "backoff.h"

#include <errno.h>
#include <time.h>
#include "log.h"

void sleep_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

void backoff_start(struct backoff *b, unsigned limit_ms, unsigned first_ms, unsigned max_ms)
{
	b->start_ms = uptime_ms();
	b->limit_ms = limit_ms;
	b->delay_ms = first_ms;
	b->max_ms = max_ms;
	b->attempts = 0;
}

long long backoff_elapsed(const struct backoff *b)
{
	return uptime_ms() - b->start_ms;
}

bool backoff_wait(struct backoff *b, const char *what)
{
	long long waited = backoff_elapsed(b);
	b->attempts++;
	if (waited >= b->limit_ms)
		return false;
	/* The whole time asked for is used: the last wait is cut short so that
	 * one more attempt starts right at the limit, not a backoff step early. */
	unsigned delay = b->delay_ms;
	if (waited + delay > b->limit_ms)
		delay = (unsigned)(b->limit_ms - waited);
	logx("%s: retrying in %u.%01u s (attempt %d failed, %lld.%01lld s of %u s spent)", what,
	     delay / 1000, (delay % 1000) / 100, b->attempts, waited / 1000, (waited % 1000) / 100,
	     b->limit_ms / 1000);
	sleep_ms(delay);
	b->delay_ms = b->delay_ms * 2 > b->max_ms ? b->max_ms : b->delay_ms * 2;
	return true;
}
