/* /init as the kernel's module helper. request_module() runs
 * MOD_PROBE_HELPER as "modprobe -q -- <name>" (kernel/kmod.c), e.g. fs-nfs4
 * when a mount asks for that type, nfsv4 from the NFS client, net-pf-17 for
 * a packet socket. We answer from the image's index; after switch_root the
 * same path is the real root's modprobe. */
#include "modload.h"
#include "../common/limits.h"
#include "../common/log.h"
#include "../common/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The request is the first word after the options; modprobe's own options
 * other than -q change nothing we do. */
static const char *request_of(int argc, char **argv, bool *quiet)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return i + 1 < argc ? argv[i + 1] : NULL;
		if (argv[i][0] != '-')
			return argv[i];
		if (strchr(argv[i] + 1, 'q') && argv[i][1] != '-')
			*quiet = true;
	}
	return NULL;
}

int mod_probe_main(int argc, char **argv)
{
	static char cmdline[NI_CMDLINE_MAX];
	static unsigned char want[MOD_INDEX_MODS_MAX], state[MOD_INDEX_MODS_MAX];
	static const char *reasons[MOD_INDEX_MODS_MAX];
	char why[MOD_INDEX_ALIAS_MAX + 32];
	struct mod_load_stats st = { 0 };
	struct mod_index *idx;
	bool quiet = false;
	const char *req = request_of(argc, argv, &quiet);
	int m;

	log_open();
	if (!req) {
		logx("modprobe: no module named (usage: modprobe [-q] [--] <name>)");
		return 1;
	}
	if (mod_load_read_index(MOD_INDEX_PATH, &idx))
		return 1;
	if ((m = mod_index_lookup(idx, req)) < 0) {
		if (!quiet)
			logx("modprobe: %s: no such module or alias in the image", req);
		else
			logdbg("modprobe: %s: not in the image", req);
		return 1;
	}
	(void)file_read_text("/proc/cmdline", cmdline, sizeof(cmdline));
	if (snprintf(why, sizeof(why), "the kernel asked for %s", req) >= (int)sizeof(why))
		snprintf(why, sizeof(why), "the kernel asked for it (a request of %zu bytes)", strlen(req));
	reasons[m] = why;
	want[m] = 1;
	mod_index_want_deps(idx, want);
	if (mod_load_wanted(idx, want, state, reasons, cmdline, &st) != 0 || state[m] != MOD_LOADED)
		return 1;
	return 0;
}
