#include "policy.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

/* "<digits>s": a timeout part. Anything else with a trailing 's' (".sh",
 * ".ssh") is just part of the name. */
static bool is_timeout_part(const char *s, size_t n)
{
	if (n < 2 || s[n - 1] != 's')
		return false;
	for (size_t i = 0; i < n - 1; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

int hook_policy_parse(const char *name, unsigned default_timeout_ms, struct hook_policy *p,
		      struct err_reason *err)
{
	const char *part = strchr(name, '.');
	int rc = 0;

	p->required = false;
	p->timeout_ms = default_timeout_ms;
	while (part) {
		const char *next = strchr(part + 1, '.');
		const char *s = part + 1;
		size_t n = next ? (size_t)(next - s) : strlen(s);
		if (n == 8 && !strncmp(s, "required", 8)) {
			p->required = true;
		} else if (is_timeout_part(s, n)) {
			unsigned long v = 0;
			for (size_t i = 0; i < n - 1 && v <= HOOK_TIMEOUT_MAX_S; i++)
				v = v * 10 + (unsigned long)(s[i] - '0');
			if (v == 0 || v > HOOK_TIMEOUT_MAX_S) {
				rc = err_fail(err, -EINVAL, "timeout '.%.*s' in hook name %s: expected 1-%d s",
					      (int)(n > 16 ? 16 : n), s, name, HOOK_TIMEOUT_MAX_S);
			} else {
				p->timeout_ms = (unsigned)v * 1000;
			}
		}
		part = next;
	}
	if (rc)
		p->timeout_ms = default_timeout_ms; /* as documented: a bad part means the default */
	return rc;
}
