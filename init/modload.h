/* Boot stage "modules": load what the image's module index lists, in its
 * order, with finit_module(2). The host builder has already resolved
 * dependencies and order (libkmod); /init only follows the list. */
#ifndef NFSINIT_MODLOAD_H
#define NFSINIT_MODLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include "modindex.h"

struct modload_stats {
	unsigned listed;     /* modules in the index */
	unsigned loaded;     /* finit_module succeeded */
	unsigned present;    /* EEXIST: already loaded (or built in), counted as loaded */
	unsigned skipped;    /* blacklisted, or a dependency was not loaded */
	unsigned failed;     /* open or finit_module failed */
	long long ms;        /* time the stage took */
};

/* Reads the index at index_path and loads every module in order:
 *  - parameters "<module>.<param>=<value>" on the command line are handed to
 *    finit_module (the kernel applies them only to built-in code; for
 *    loadable modules that is modprobe's job, so it is ours);
 *  - modules named in module_blacklist= or rd.driver.blacklist= (comma lists,
 *    may repeat) are skipped, and so is every module that depends on one;
 *  - a failure is logged with module, path and errno, and loading goes on.
 * Logs one summary line ("modules: 17 loaded in 0.184 s"). st may be NULL.
 * Returns 0 when every module is loaded or deliberately skipped; -ENOENT when
 * there is no index (an image without modules; logged, not an error for the
 * boot); -EINVAL for a malformed index; else the -errno of the first failure. */
int modules_load(const char *index_path, const char *cmdline, struct modload_stats *st);

/* Pure helpers, exposed for the unit tests. '-' and '_' in module names are
 * alike, as for modprobe. */

/* Collects the parameters for module from cmdline into out, space-separated
 * as finit_module expects ("a=1 b=\"x y\""); out is "" when there are none.
 * Parameters after "--" belong to init and are ignored. Returns the length,
 * or -E2BIG when they do not fit in cap (or one was longer than the command
 * line limit); out is then "". */
int modload_params(const char *cmdline, const char *module, char *out, size_t cap);

/* True if module is named in module_blacklist= or rd.driver.blacklist=. */
bool modload_blacklisted(const char *cmdline, const char *module);

#endif
