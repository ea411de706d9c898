/* The version of nfsinit: the VERSION file at the top of the tree, passed in
 * by the Makefile (-DNFSINIT_VERSION), so every program says the same. */
#ifndef NFSINIT_COMMON_VERSION_H
#define NFSINIT_COMMON_VERSION_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#ifndef NFSINIT_VERSION
#error "NFSINIT_VERSION comes from the VERSION file (see the Makefile)"
#endif

/* For the small tools: "PROG --version" prints "PROG VERSION" and is done. */
static inline bool version_asked(int argc, char **argv, const char *prog)
{
	if (argc != 2 || strcmp(argv[1], "--version") != 0)
		return false;
	printf("%s %s\n", prog, NFSINIT_VERSION);
	return true;
}

#endif
