#ifndef NFSINIT_KCMDLINE_H
#define NFSINIT_KCMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* Splits the next parameter off *p the way the kernel does (double quotes
 * group, and are removed). Returns false at the end. key/val are truncated
 * only if longer than the buffers; *truncated says so. */
bool cmdline_next(const char **p, char *key, size_t keycap, char *val, size_t valcap,
		  bool *has_val, bool *truncated);

#endif
