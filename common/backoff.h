/* Bounded retry with exponential backoff, shared by every stage that waits
 * on something outside the node (a DHCP server, an NFS server). */
#ifndef NFSINIT_BACKOFF_H
#define NFSINIT_BACKOFF_H

#include <stdbool.h>

struct backoff {
	long long start_ms;
	unsigned limit_ms;   /* total time the stage may take, from backoff_start */
	unsigned delay_ms;   /* next wait */
	unsigned max_ms;     /* the wait doubles up to this */
	int attempts;
};

void backoff_start(struct backoff *b, unsigned limit_ms, unsigned first_ms, unsigned max_ms);

/* Call after a failed attempt. Returns false once the limit has passed (the
 * caller gives up and says so); otherwise logs "<what>: retrying in N s
 * (attempt A failed, E s of L s spent)", sleeps (the last time only up to the
 * limit) and returns true. */
bool backoff_wait(struct backoff *b, const char *what);

/* Milliseconds since backoff_start. */
long long backoff_elapsed(const struct backoff *b);

void sleep_ms(unsigned ms);

#endif
