/* The kernel command line's own word splitting, shared by the command-line
 * parser (init/) and the module loader's per-module parameters (modules/). */
#include "kcmdline.h"

#include <ctype.h>

bool cmdline_next(const char **p, char *key, size_t keycap, char *val, size_t valcap,
		  bool *has_val, bool *truncated)
{
	const char *s = *p;
	size_t k = 0, v = 0;
	bool quoted = false;

	while (*s && isspace((unsigned char)*s))
		s++;
	if (!*s) {
		*p = s;
		return false;
	}
	*has_val = false;
	*truncated = false;
	for (; *s && (quoted || !isspace((unsigned char)*s)); s++) {
		if (*s == '"') {
			quoted = !quoted;
			continue;
		}
		if (!*has_val && *s == '=') {
			*has_val = true;
			continue;
		}
		if (*has_val) {
			if (v + 1 < valcap)
				val[v++] = *s;
			else
				*truncated = true;
		} else {
			if (k + 1 < keycap)
				key[k++] = *s;
			else
				*truncated = true;
		}
	}
	key[k] = '\0';
	val[v] = '\0';
	*p = s;
	return true;
}
