/* One way to return a reason, for all of /init.
 *
 * Every function returns 0 or -errno; the -errno alone is the reason when
 * strerror() says enough (logerr() prints it). A function whose caller must
 * also say *what* failed -- a parser rejecting a value, a path walk refusing
 * a component, a template naming an unknown variable -- takes a struct
 * err_reason * as its last argument and fills it on failure with err_fail()
 * or err_value(): msg is one log-ready phrase naming the fault and the value
 * ("ip=: bad mtu 'x'"), line the 1-based line of multi-line input (0 when the
 * input has no lines). The callee never logs and never decides what the
 * failure means; the caller adds its own context ("ip=%s: %s") and does.
 * A NULL err means the caller does not want the reason.
 *
 * A reason that names no value is a constant text: err_fail(err, -EINVAL,
 * "empty path"). No function hands back a reason any other way: not a
 * char * and size out-parameter, not a static buffer, not -1 with errno.
 * The one list of reasons is the command line's: its parse never fails as a
 * whole, so cfg->warnings keeps one line per parameter it refused. */
#ifndef NFSINIT_ERR_H
#define NFSINIT_ERR_H

#include <stddef.h>

#define ERR_MSG_MAX 256  /* a reason names at most a path or two */

struct err_reason {
	int line;
	char msg[ERR_MSG_MAX];
};

/* Sets err (if not NULL) from fmt on line 0 and returns code (a -errno). */
__attribute__((format(printf, 3, 4)))
int err_fail(struct err_reason *err, int code, const char *fmt, ...);

/* The common case: "<what> '<value>'". */
int err_value(struct err_reason *err, int code, const char *what, const char *value);

#endif
