/* What a hook's file name says about it. No config file to get out of step
 * with the hook: the name carries its outcome and its time limit.
 *   NN-what[.<secs>s][.required][.<anything else, e.g. sh>]
 *   .required  a failure or timeout of this hook fails the boot (the failure
 *              policy: nfsinit.onfail); without it the boot goes on
 *   .<secs>s   this hook's own timeout, 1-3600 s, instead of nfsinit.hook.timeout
 * Pure: no I/O. */
#ifndef NFSINIT_HOOK_POLICY_H
#define NFSINIT_HOOK_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include "../common/err.h"

#define HOOK_TIMEOUT_MAX_S 3600

struct hook_policy {
	bool required;
	unsigned timeout_ms;
};

/* Fills p from name, starting from default_timeout_ms. Returns 0, or -EINVAL
 * for a malformed timeout part (p keeps the default then; err says which). */
int hook_policy_parse(const char *name, unsigned default_timeout_ms, struct hook_policy *p,
		      struct err_reason *err);

#endif
