/* Kernel parameter and module names, in which '-' and '_' are the same
 * character (kernel/params.c parameq(), and modprobe's module names). */
#ifndef NFSINIT_DASHNAME_H
#define NFSINIT_DASHNAME_H

#include <stdbool.h>

/* True when a and b are the same name, '-' and '_' alike. */
bool dashname_eq(const char *a, const char *b);

#endif
