/* The kernel's own answers to "which modules drive a NIC" and "which
 * devices does a module drive": modules.dep (every module, by path) and
 * modules.alias (depmod's list of each module's alias patterns). The line
 * parsers are pure; the file reading is at the bottom. */
#include "mkimage.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Under drivers/net but not a NIC a node boots from: radios, serial links,
 * field buses, retired networks. Everything else there that binds to a bus
 * device is a candidate (drivers/net/usb too: r8152 docks do netboot). */
static const char *const not_boot_nics[] = {
	"wireless/", "wwan/", "can/", "ieee802154/", "hamradio/", "arcnet/", "fddi/",
	"wan/", "ppp/", "slip/", "plip/", "appletalk/", "hippi/",
};

/* Buses a boot NIC sits on. platform/of/acpi are left out: on a server
 * those are PHYs and MDIO glue, which come in as dependencies when needed. */
static const char *const nic_buses[] = { "pci:", "virtio:", "vmbus:", "xen:", "usb:" };

bool nic_module_path(const char *rel)
{
	static const char prefix[] = "kernel/drivers/net/";

	if (strncmp(rel, prefix, sizeof(prefix) - 1) != 0)
		return false;
	rel += sizeof(prefix) - 1;
	for (size_t i = 0; i < sizeof(not_boot_nics) / sizeof(not_boot_nics[0]); i++)
		if (strncmp(rel, not_boot_nics[i], strlen(not_boot_nics[i])) == 0)
			return false;
	return true;
}

bool nic_bus_alias(const char *pattern)
{
	for (size_t i = 0; i < sizeof(nic_buses) / sizeof(nic_buses[0]); i++)
		if (strncmp(pattern, nic_buses[i], strlen(nic_buses[i])) == 0)
			return true;
	return false;
}

int alias_parse_line(char *line, char **pattern, char **module)
{
	char *save = NULL, *kw = strtok_r(line, " \t\r\n", &save);

	if (!kw || kw[0] == '#' || strcmp(kw, "alias") != 0)
		return 0;
	*pattern = strtok_r(NULL, " \t\r\n", &save);
	*module = strtok_r(NULL, " \t\r\n", &save);
	return *pattern && *module ? 1 : 0;
}

int dep_line_module(const char *line, char *name, size_t cap, char *rel, size_t relcap)
{
	const char *colon = strchr(line, ':'), *base;
	size_t n;

	if (!colon || (size_t)(colon - line) >= relcap)
		return -EINVAL;
	memcpy(rel, line, (size_t)(colon - line));
	rel[colon - line] = '\0';
	base = strrchr(rel, '/');
	base = base ? base + 1 : rel;
	n = strcspn(base, ".");
	if (n == 0 || n >= cap || strncmp(base + n, ".ko", 3) != 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		name[i] = base[i] == '-' ? '_' : base[i];
	name[n] = '\0';
	return 0;
}

/* ---- files ---- */

static FILE *open_in(const char *moddir, const char *file)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", moddir, file);
	if (!(f = fopen(path, "r")))
		fprintf(stderr, "%s: cannot read %s: %s\n", MK_PROG, path, strerror(errno));
	return f;
}

int aliases_read(const char *moddir, struct mk_aliases *out)
{
	char line[1024], *pat, *mod;
	FILE *f = open_in(moddir, "modules.alias");

	memset(out, 0, sizeof(*out));
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (!alias_parse_line(line, &pat, &mod))
			continue;
		if (out->n == out->cap) {
			size_t cap = out->cap ? out->cap * 2 : 4096;
			struct mk_alias *p = realloc(out->a, cap * sizeof(*p));
			if (!p)
				goto oom;
			out->a = p;
			out->cap = cap;
		}
		out->a[out->n].pattern = strdup(pat);
		out->a[out->n].module = strdup(mod);
		if (!out->a[out->n].pattern || !out->a[out->n].module)
			goto oom;
		out->n++;
	}
	fclose(f);
	return 0;
oom:
	fclose(f);
	fprintf(stderr, "%s: out of memory reading modules.alias\n", MK_PROG);
	return -1;
}

void aliases_free(struct mk_aliases *al)
{
	for (size_t i = 0; i < al->n; i++) {
		free(al->a[i].pattern);
		free(al->a[i].module);
	}
	free(al->a);
	memset(al, 0, sizeof(*al));
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int nic_modules(const char *moddir, const struct mk_aliases *al, char ***names, size_t *n)
{
	char line[8192], name[64], rel[4096], *key = name;
	const char **bus = malloc((al->n ? al->n : 1) * sizeof(*bus));
	size_t nbus = 0, cap = 0;
	FILE *f = open_in(moddir, "modules.dep");
	int rc = -1;

	*names = NULL;
	*n = 0;
	if (!f || !bus)
		goto out;
	/* The modules that bind to a NIC bus, sorted for bsearch: 26,000 aliases
	 * against 5,000 modules is too many string compares otherwise. */
	for (size_t i = 0; i < al->n; i++)
		if (nic_bus_alias(al->a[i].pattern))
			bus[nbus++] = al->a[i].module;
	qsort(bus, nbus, sizeof(*bus), by_name);
	while (fgets(line, sizeof(line), f)) {
		if (dep_line_module(line, name, sizeof(name), rel, sizeof(rel)) != 0 ||
		    !nic_module_path(rel) || !bsearch(&key, bus, nbus, sizeof(*bus), by_name))
			continue;
		if (*n == cap) {
			char **p;
			cap = cap ? cap * 2 : 256;
			if (!(p = realloc(*names, cap * sizeof(*p))))
				goto oom;
			*names = p;
		}
		if (!((*names)[*n] = strdup(name)))
			goto oom;
		(*n)++;
	}
	rc = 0;
	goto out;
oom:
	fprintf(stderr, "%s: out of memory listing NIC drivers\n", MK_PROG);
out:
	if (f)
		fclose(f);
	free(bus);
	return rc;
}
