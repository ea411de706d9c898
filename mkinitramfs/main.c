/* nfsinit-mkimage: builds the initramfs that boots a diskless node with
 * nfsinit. Deliberately not called mkinitramfs: it must never shadow
 * initramfs-tools on the machine that builds images. */
#include "mkimage.h"
#include "../modules/modindex.h"
#include "../modules/modload.h"
#include "../common/dashname.h"

#include <elf.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#ifndef NFSINIT_PREFIX
#define NFSINIT_PREFIX "/usr/local"
#endif
#define DEFAULT_CONFIG "/etc/nfsinit/mkimage.conf"
#define DEFAULT_BUSYBOX "/bin/busybox"
#define TEMPLATES_DIR "/etc/nfsinit/templates"

#define REQ_MAX 1024

/* What an NFS root with an overlay needs: in the index, loaded by name when
 * the boot needs them (/init loads nfs, the NFS version it mounts and
 * overlay while the network comes up; nfsv3 only for a v3 mount). */
static const char *const fs_modules[] = { "nfs", "nfsv3", "nfsv4", "overlay" };
/* Bus glue a NIC sits behind that is not under drivers/net: virtio_pci
 * turns a PCI function into the virtio device virtio_net binds to; the USB
 * host controllers make USB NICs (r8152, cdc_ether, asix) appear at all.
 * Loaded by device like the NIC drivers; those the kernel lacks or has built
 * in are passed over. */
static const char *const netboot_bus[] = { "virtio_pci", "xhci_pci", "ehci_pci", "ohci_pci", "uhci_hcd" };
/* Root from an image file (root=nfs:SRV:/images/x.squashfs): only loaded
 * when one is used, by the kernel's request through the module helper
 * (fs-squashfs, fs-erofs, char-major-10-237 for /dev/loop-control), so a tree
 * root does not pay for them. dm-mod and dm-verity likewise, only with
 * nfsinit.root.verity (char-major-10-236 for /dev/mapper/control, dm-verity
 * when the "verity" table is loaded). */
static const char *const image_modules[] = { "loop", "squashfs", "erofs", "dm-mod", "dm-verity" };
/* vlan= and bond= (netcfg/vlanbond.c): creating the link makes the kernel
 * ask for rtnl-link-vlan or rtnl-link-bond, which the index maps to these. */
static const char *const netstack_modules[] = { "8021q", "bonding" };

enum mk_set { SET_NETBOOT, SET_HOST, SET_NONE };

struct opts {
	const char *kver, *basedir, *init, *output, *list, *config, *hooks, *templates, *busybox;
	struct mk_compression comp;
	enum mk_set set;
	bool verbose;
	struct mk_request req[REQ_MAX];
	size_t nreq;
	const char *add[REQ_MAX];
	size_t nadd;
	char *owned[REQ_MAX];      /* strings the above point into */
	size_t nowned;
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " MK_PROG " [options] -o FILE\n"
"       " MK_PROG " -l IMAGE\n"
"       " MK_PROG " --version\n"
"Build the nfsinit initramfs: /init, the kernel modules a diskless node needs\n"
"to reach its NFS root (with their dependencies, in load order), and the index\n"
"/init loads them from (" MOD_INDEX_PATH ").\n"
"\n"
"  -k, --kver KVER         kernel release to build for (default: uname -r)\n"
"  -b, --basedir DIR       modules are in DIR/lib/modules/KVER, as for depmod -b\n"
"                          (default: /); without modules.dep there, depmod runs\n"
"                          on a linked copy in $TMPDIR (DIR is never written)\n"
"  -i, --init PATH         the /init binary (default: ../lib/nfsinit/init from\n"
"                          this program, then 'init' next to it (not in a bin\n"
"                          or sbin folder), then\n"
"                          " NFSINIT_PREFIX "/lib/nfsinit/init)\n"
"  -o, --output FILE       the image; written to a temporary file beside it and\n"
"                          renamed when complete (removed on SIGINT/SIGTERM). An\n"
"                          existing FILE must be a regular file; it keeps its mode\n"
"  -s, --set SET           which modules: netboot (default: every network driver\n"
"                          the kernel has, virtio_pci, the USB host controllers,\n"
"                          nfs nfsv3 nfsv4 overlay),\n"
"                          host (modules loaded on this machine and the drivers of\n"
"                          its devices, plus nfs nfsv3 nfsv4 overlay) or none.\n"
"                          At boot /init loads the drivers of the devices present\n"
"                          and always the file systems\n"
"  -m, --modules A,B,...   also add these modules (names or aliases), loaded at\n"
"                          every boot; may repeat. One the kernel lacks is an error\n"
"      --on-demand A,B,... also add these, loaded only when a device matches\n"
"                          one of their aliases or the kernel asks for them\n"
"      --no-default-modules  same as --set none\n"
"  -c, --compress M[:L]    zstd (default, level 3), gzip (level 6), xz (level 6)\n"
"                          or none; L: gzip/xz 1-9, zstd 1-19. The kernel must\n"
"                          unpack it: CONFIG_RD_ZSTD, _GZIP or _XZ=y (checked when\n"
"                          BASEDIR/boot/config-KVER exists); xz runs the xz program\n"
"      --add SRC[:DEST]    add host file SRC as DEST (default: the same path); an\n"
"                          ELF program brings its loader and shared libraries\n"
"                          (DT_NEEDED, found as ld.so would); may repeat. A DEST\n"
"                          already in the image (/init, " MOD_PROBE_HELPER ", the index,\n"
"                          an earlier --add) is an error\n"
"      --hooks DIR         DIR/<stage>/* become /hooks/<stage>/* (early, pre-net,\n"
"                          pre-mount, pre-switch)\n"
"      --templates DIR     DIR becomes " TEMPLATES_DIR "\n"
"      --busybox[=PATH]    static busybox (default " DEFAULT_BUSYBOX ") as /bin/busybox,\n"
"                          with /bin/sh and its other applets as symlinks\n"
"      --config FILE       read defaults from FILE (default: " DEFAULT_CONFIG "\n"
"                          when it exists), then FILE.d/*.conf in name order:\n"
"                          \"key = value\" lines, keys named as the long\n"
"                          options; the command line wins, lists add up;\n"
"                          \" #\" starts a comment, \"...\" keeps spaces and '#'\n"
"  -l, --list IMAGE        print an image's contents and the version that built it\n"
"  -v, --verbose           say which modules and libraries are added and why\n"
"  -h, --help              this text\n"
"      --version           print the version and exit\n"
"\n"
"Reproducible: entries sorted, owned 0:0, mtime SOURCE_DATE_EPOCH (or 0).\n"
"Exit status: 0 on success, 1 on any error (the output is then left as it was).\n");
}

static char *own(struct opts *o, const char *s)
{
	char *c;

	if (o->nowned == REQ_MAX || !(c = strdup(s))) {
		fprintf(stderr, "%s: too many options\n", MK_PROG);
		return NULL;
	}
	return o->owned[o->nowned++] = c;
}

static int add_modules_arg(struct opts *o, const char *arg, bool load)
{
	char *copy = own(o, arg), *tok, *save = NULL;

	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		if (o->nreq == REQ_MAX) {
			fprintf(stderr, "%s: too many modules (at most %d)\n", MK_PROG, REQ_MAX);
			return -1;
		}
		o->req[o->nreq++] = (struct mk_request){ tok, true, load, NULL };
	}
	return 0;
}

static int parse_bool(const char *v, bool *out)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		return *out = true, 0;
	if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		return *out = false, 0;
	return -1;
}

/* One setting, from the command line or the config file (same names). */
static int set_opt(struct opts *o, const char *key, const char *val)
{
	const char **str = NULL;
	bool b;

	if (!strcmp(key, "kver")) str = &o->kver;
	else if (!strcmp(key, "basedir")) str = &o->basedir;
	else if (!strcmp(key, "init")) str = &o->init;
	else if (!strcmp(key, "output")) str = &o->output;
	else if (!strcmp(key, "hooks")) str = &o->hooks;
	else if (!strcmp(key, "templates")) str = &o->templates;
	if (str) {
		if (!*val)
			return fprintf(stderr, "%s: %s: empty value\n", MK_PROG, key), -1;
		return (*str = own(o, val)) ? 0 : -1;
	}
	if (!strcmp(key, "modules"))
		return add_modules_arg(o, val, true);
	if (!strcmp(key, "on-demand"))
		return add_modules_arg(o, val, false);
	if (!strcmp(key, "add")) {
		if (o->nadd == REQ_MAX)
			return fprintf(stderr, "%s: too many --add\n", MK_PROG), -1;
		return (o->add[o->nadd++] = own(o, val)) ? 0 : -1;
	}
	if (!strcmp(key, "set")) {
		if (!strcmp(val, "netboot")) o->set = SET_NETBOOT;
		else if (!strcmp(val, "host")) o->set = SET_HOST;
		else if (!strcmp(val, "none")) o->set = SET_NONE;
		else return fprintf(stderr, "%s: set %s: expected netboot, host or none\n", MK_PROG, val), -1;
		return 0;
	}
	if (!strcmp(key, "compress")) {
		if (compress_parse(val, &o->comp) == 0)
			return 0;
		fprintf(stderr, "%s: compress %s: expected zstd, gzip, xz or none, optionally with "
			":LEVEL (gzip/xz 1-9, zstd 1-19)\n", MK_PROG, val);
		return -1;
	}
	if (!strcmp(key, "busybox")) {
		if (parse_bool(val, &b) == 0)
			return o->busybox = b ? DEFAULT_BUSYBOX : NULL, 0;
		return (o->busybox = own(o, val)) ? 0 : -1;
	}
	if (!strcmp(key, "verbose")) {
		if (parse_bool(val, &o->verbose) == 0)
			return 0;
		return fprintf(stderr, "%s: verbose %s: expected yes or no\n", MK_PROG, val), -1;
	}
	fprintf(stderr, "%s: unknown setting '%s'\n", MK_PROG, key);
	return -1;
}

static int conf_apply(const char *key, const char *value, void *ctx)
{
	return set_opt(ctx, key, value);
}

static const struct option lopts[] = {
	{ "kver", required_argument, NULL, 'k' },
	{ "basedir", required_argument, NULL, 'b' },
	{ "init", required_argument, NULL, 'i' },
	{ "output", required_argument, NULL, 'o' },
	{ "set", required_argument, NULL, 's' },
	{ "modules", required_argument, NULL, 'm' },
	{ "on-demand", required_argument, NULL, 'D' },
	{ "no-default-modules", no_argument, NULL, 'N' },
	{ "compress", required_argument, NULL, 'c' },
	{ "add", required_argument, NULL, 'A' },
	{ "hooks", required_argument, NULL, 'H' },
	{ "templates", required_argument, NULL, 'T' },
	{ "busybox", optional_argument, NULL, 'B' },
	{ "config", required_argument, NULL, 'C' },
	{ "list", required_argument, NULL, 'l' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ 0 },
};
#define SHORT_OPTS "k:b:i:o:s:m:c:l:vh"

static int parse_args(int argc, char **argv, struct opts *o)
{
	const char *config = NULL;
	int c;

	/* The config file first, so the command line overrides it. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, SHORT_OPTS, lopts, NULL)) != -1)
		if (c == 'C')
			config = optarg;
	optind = 1;
	opterr = 1;
	if (conf_read(config ? config : DEFAULT_CONFIG, config != NULL, conf_apply, o) != 0 ||
	    conf_read_dropins(config ? config : DEFAULT_CONFIG, conf_apply, o) != 0)
		return -1;
	while ((c = getopt_long(argc, argv, SHORT_OPTS, lopts, NULL)) != -1) {
		const char *key = NULL;
		for (const struct option *l = lopts; l->name; l++)
			if (l->val == c)
				key = l->name;
		switch (c) {
		case 'l': o->list = optarg; break;
		case 'v': o->verbose = true; break;
		case 'N': o->set = SET_NONE; break;
		case 'C': break;
		case 'B':
			o->busybox = optarg ? optarg : DEFAULT_BUSYBOX;
			break;
		case 'h': usage(stdout); exit(0);
		case 'V': printf("%s %s\n", MK_PROG, NFSINIT_VERSION); exit(0);
		case '?': usage(stderr); return -1;
		default:
			if (!key || set_opt(o, key, optarg) != 0)
				return -1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s' (see --help)\n", MK_PROG, argv[optind]);
		return -1;
	}
	if (!o->list && !o->output) {
		fprintf(stderr, "%s: no output: give -o FILE (see --help)\n", MK_PROG);
		return -1;
	}
	return 0;
}

/* -i not given: installed, the ../lib/nfsinit/init beside our sbin; in the
 * build tree, build/init beside us. Never an "init" beside us in a bin or
 * sbin folder: that is the system's own (systemd's /usr/sbin/init). */
static const char *default_init(void)
{
	static char path[4096];
	char exe[2048];
	const char *dir;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n > 0) {
		exe[n] = '\0';
		dirname(exe);  /* in place for a path that has a '/' */
		snprintf(path, sizeof(path), "%s/../lib/nfsinit/init", exe);
		if (access(path, F_OK) == 0)
			return path;
		dir = strrchr(exe, '/') ? strrchr(exe, '/') + 1 : exe;
		snprintf(path, sizeof(path), "%s/init", exe);
		if (strcmp(dir, "sbin") && strcmp(dir, "bin") && access(path, F_OK) == 0)
			return path;
	}
	return NFSINIT_PREFIX "/lib/nfsinit/init";
}

/* /init runs before any library or interpreter is there: only a static ELF
 * program can start. Returns 0 or -1 (message printed). */
static int check_static(const char *path)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	FILE *f = fopen(path, "rb");
	const char *why = NULL;

	if (!f)
		return fprintf(stderr, "%s: init binary %s: %s\n", MK_PROG, path, strerror(errno)), -1;
	if (fread(&eh, sizeof(eh), 1, f) != 1 || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
		why = "is not an ELF program (a script or text file cannot be /init: the image has no interpreter for it)";
	else if (eh.e_ident[EI_CLASS] != ELFCLASS64)
		why = "is not a 64-bit ELF program";
	for (unsigned i = 0; !why && i < eh.e_phnum; i++) {
		if (fseek(f, (long)(eh.e_phoff + (Elf64_Off)i * eh.e_phentsize), SEEK_SET) != 0 ||
		    fread(&ph, sizeof(ph), 1, f) != 1)
			why = "has a truncated program header";
		else if (ph.p_type == PT_INTERP)
			why = "is dynamically linked; the image carries no libraries for /init, so it would "
			      "not start (build the static one with 'make')";
	}
	fclose(f);
	if (why)
		return fprintf(stderr, "%s: init binary %s %s\n", MK_PROG, path, why), -1;
	return 0;
}

static int check_init(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		fprintf(stderr, "%s: init binary %s: %s (build it with 'make', or give -i PATH)\n",
			MK_PROG, path, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111)) {
		fprintf(stderr, "%s: init binary %s is not an executable file\n", MK_PROG, path);
		return -1;
	}
	return check_static(path);
}

/* Refuses a compression the target kernel cannot unpack, when its config is at hand. */
static int check_kconfig(const struct opts *o)
{
	const char *opt = compress_kconfig(o->comp.method);
	char path[4096], line[512];
	size_t ol;
	FILE *f;
	bool set = false;

	if (!opt)
		return 0;
	snprintf(path, sizeof(path), "%s/boot/config-%s", o->basedir, o->kver);
	if (!(f = fopen(path, "r"))) {
		if (o->verbose)
			fprintf(stderr, "%s: no %s: not checking that the kernel unpacks %s\n", MK_PROG, path,
				compress_name(o->comp.method));
		return 0;
	}
	ol = strlen(opt);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, opt, ol) == 0 && strncmp(line + ol, "=y", 2) == 0)
			set = true;
	fclose(f);
	if (!set) {
		fprintf(stderr, "%s: kernel %s cannot unpack a %s image (%s is not set in %s); "
			"choose another -c\n", MK_PROG, o->kver, compress_name(o->comp.method), opt, path);
		return -1;
	}
	return 0;
}

static int add_index(struct mk_image *img, const struct mk_modset *set, const char *kver)
{
	struct mod_index *idx = calloc(1, sizeof(*idx));
	char *text = malloc(MOD_INDEX_FILE_MAX);
	const char *deps[MOD_INDEX_DEPS_MAX * 4], *what = "";
	long len;
	int rc = -1;

	if (!idx || !text)
		goto out;
	mod_index_init(idx);
	if (mod_index_set_kver(idx, kver) != 0) {
		fprintf(stderr, "%s: kernel release '%s' cannot go in the module index\n", MK_PROG, kver);
		goto out;
	}
	for (size_t i = 0; i < set->n; i++) {
		size_t nd;
		if (set->mods[i].ndeps > sizeof(deps) / sizeof(deps[0])) {
			fprintf(stderr, "%s: module %s has too many dependencies\n", MK_PROG, set->mods[i].name);
			goto out;
		}
		nd = modset_direct_deps(set, i, deps);
		if (mod_index_add_module(idx, set->mods[i].name, set->mods[i].dest, deps, nd, &what)) {
			fprintf(stderr, "%s: module %s (%s): cannot go in the index: %s\n", MK_PROG,
				set->mods[i].name, set->mods[i].dest, what);
			goto out;
		}
	}
	for (size_t i = 0; i < set->n; i++)
		if (set->mods[i].load && mod_index_set_load(idx, set->mods[i].name, &what)) {
			fprintf(stderr, "%s: module %s: %s\n", MK_PROG, set->mods[i].name, what);
			goto out;
		}
	for (size_t i = 0; i < set->aliases.n; i++)
		if (mod_index_add_alias(idx, set->aliases.a[i].pattern, set->aliases.a[i].module, &what)) {
			fprintf(stderr, "%s: alias %s of %s cannot go in the index: %s\n", MK_PROG,
				set->aliases.a[i].pattern, set->aliases.a[i].module, what);
			goto out;
		}
	if ((len = mod_index_format(idx, text, MOD_INDEX_FILE_MAX)) < 0) {
		fprintf(stderr, "%s: the module index is over %d bytes\n", MK_PROG, MOD_INDEX_FILE_MAX);
		goto out;
	}
	rc = image_add_data(img, MOD_INDEX_PATH, 0644, (unsigned char *)text, (size_t)len);
	text = NULL;
out:
	free(text);
	free(idx);
	return rc;
}

static long long source_date(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	char *end;
	long long v;

	if (!s || !*s)
		return 0;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end || errno || v < 0) {
		fprintf(stderr, "%s: SOURCE_DATE_EPOCH=%s is not a number of seconds; using 0\n", MK_PROG, s);
		return 0;
	}
	return v;
}

/* The requests a module set stands for, ahead of the -m ones. */
static int add_set(struct opts *o, char ***host, size_t *nhost)
{
	struct mk_request all[REQ_MAX];
	size_t n = 0;

	*host = NULL;
	*nhost = 0;
	if (o->set == SET_NONE)
		return 0;
	if (o->set == SET_HOST) {
		if (host_module_names("/proc/modules", "/sys", host, nhost) != 0)
			return fprintf(stderr, "%s: out of memory listing the host's modules\n", MK_PROG), -1;
		if (o->verbose)
			fprintf(stderr, "%s: host set: %zu loaded modules and device aliases to look up\n",
				MK_PROG, *nhost);
	}
	for (size_t i = 0; i < *nhost && n < REQ_MAX; i++)
		all[n++] = (struct mk_request){ (*host)[i], false, false, NULL };
	if (o->set == SET_NETBOOT)
		for (size_t i = 0; i < sizeof(netboot_bus) / sizeof(netboot_bus[0]); i++)
			all[n++] = (struct mk_request){ netboot_bus[i], false, false, NULL };
	for (size_t i = 0; i < sizeof(fs_modules) / sizeof(fs_modules[0]); i++)
		all[n++] = (struct mk_request){ fs_modules[i], false, false,
						"an NFS root with an overlay needs it (loaded when the mount does)" };
	for (size_t i = 0; i < sizeof(image_modules) / sizeof(image_modules[0]); i++)
		all[n++] = (struct mk_request){ image_modules[i], false, false,
						"a root from an image file needs it (loaded when the kernel asks)" };
	for (size_t i = 0; i < sizeof(netstack_modules) / sizeof(netstack_modules[0]); i++)
		all[n++] = (struct mk_request){ netstack_modules[i], false, false,
						"vlan= or bond= needs it (loaded when the kernel asks)" };
	if (n + o->nreq > REQ_MAX)
		return fprintf(stderr, "%s: too many modules (at most %d)\n", MK_PROG, REQ_MAX), -1;
	for (size_t i = 0; i < o->nreq; i++)
		all[n++] = o->req[i];
	memcpy(o->req, all, n * sizeof(all[0]));
	o->nreq = n;
	return 0;
}

static int add_extra(struct mk_image *img, const char *spec, bool verbose, size_t *nlibs)
{
	char src[4096];
	const char *colon = strrchr(spec, ':'), *dest;
	struct stat st;
	size_t sl = colon ? (size_t)(colon - spec) : strlen(spec);

	dest = colon ? colon + 1 : spec;
	if (sl == 0 || sl >= sizeof(src) || dest[0] != '/') {
		fprintf(stderr, "%s: --add %s: expected SRC or SRC:/DEST (DEST absolute)\n", MK_PROG, spec);
		return -1;
	}
	memcpy(src, spec, sl);
	src[sl] = '\0';
	if (stat(src, &st) != 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "%s: --add %s: %s is not a readable file\n", MK_PROG, spec, src);
		return -1;
	}
	/* /init, /sbin/modprobe, the module index and an earlier --add are
	 * already in: replacing one would break the boot, dropping this one
	 * would lose what was asked for. */
	if (image_has(img, dest)) {
		fprintf(stderr, "%s: --add %s: %s is already in the image (%s); choose another "
			"destination\n", MK_PROG, spec, dest, !strcmp(dest, "/init") ? "nfsinit's /init" :
			!strcmp(dest, MOD_PROBE_HELPER) ? "the module helper, a link to /init" :
			!strcmp(dest, MOD_INDEX_PATH) ? "the module index" :
			"added before, by another --add or as a library of one");
		return -1;
	}
	return image_add_program(img, src, dest, st.st_mode & 07777, verbose, nlibs);
}

static int add_version(struct mk_image *img)
{
	char *text = strdup(NFSINIT_VERSION "\n");

	if (!text)
		return fprintf(stderr, "%s: out of memory\n", MK_PROG), -1;
	return image_add_data(img, MK_VERSION_PATH, 0644, (unsigned char *)text, strlen(text));
}

/* Why a module loads at every boot anyway, or NULL: asked for to load, or a
 * dependency of one that is. */
static const char *loaded_at_boot(const struct mk_modset *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++) {
		if (!set->mods[i].load)
			continue;
		if (dashname_eq(set->mods[i].name, name))
			return set->mods[i].name;
		for (size_t d = 0; d < set->mods[i].ndeps; d++)
			if (dashname_eq(set->mods[i].deps[d], name))
				return set->mods[i].name;
	}
	return NULL;
}

/* --on-demand of a module the set loads at every boot changes nothing: say so. */
static void note_on_demand(const struct opts *o, const struct mk_modset *set)
{
	for (size_t i = 0; i < o->nreq; i++) {
		const char *by;
		if (!o->req[i].required || o->req[i].load || !(by = loaded_at_boot(set, o->req[i].name)))
			continue;
		if (dashname_eq(by, o->req[i].name))
			fprintf(stderr, "%s: --on-demand %s: the module set already loads it at every boot; "
				"it stays loaded at boot\n", MK_PROG, o->req[i].name);
		else
			fprintf(stderr, "%s: --on-demand %s: loaded at every boot anyway, as a dependency "
				"of %s\n", MK_PROG, o->req[i].name, by);
	}
}

struct counts {
	size_t nlibs, napplets, nload;
};

static int build(struct mk_image *img, const struct opts *o, const struct mk_modset *set,
		 struct counts *cnt)
{
	static const char *const dirs[] = { "/dev", "/proc", "/sys", "/run", "/newroot", "/etc", "/lib",
					    "/bin", "/sbin" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (image_add_dir(img, dirs[i]))
			return -1;
	/* The kernel opens /dev/console for init's stdio before devtmpfs exists. */
	if (image_add_chardev(img, "/dev/console", 0600, 5, 1) || image_add_file(img, "/init", 0755, o->init) ||
	    add_version(img))
		return -1;
	/* /init answers the kernel's request_module() at the kernel's own default
	 * helper path; after switch_root that path is the real system's modprobe. */
	if (set->n && image_add_symlink(img, MOD_PROBE_HELPER, "/init"))
		return -1;
	for (size_t i = 0; i < set->n; i++) {
		if (image_add_module(img, set->mods[i].dest, set->mods[i].src))
			return -1;
		cnt->nload += set->mods[i].load;
	}
	if (add_index(img, set, o->kver))
		return -1;
	for (size_t i = 0; i < o->nadd; i++)
		if (add_extra(img, o->add[i], o->verbose, &cnt->nlibs))
			return -1;
	if (o->hooks && image_add_hooks(img, o->hooks))
		return -1;
	if (o->templates && image_add_tree(img, o->templates, TEMPLATES_DIR))
		return -1;
	/* Last: its applet links never replace anything the image has. */
	if (o->busybox && image_add_busybox(img, o->busybox, &cnt->napplets))
		return -1;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct opts o = { .basedir = "/", .comp = { MK_ZSTD, 3 }, .set = SET_NETBOOT };
	struct mk_modset set = { 0 };
	struct mk_image img;
	struct mk_result res = { 0 };
	struct counts cnt = { 0 };
	struct utsname u;
	char **host = NULL;
	size_t nhost = 0;
	double t0 = now_s();
	int rc = 1;

	image_init(&img);
	if (parse_args(argc, argv, &o))
		goto out;
	if (o.list) {
		rc = image_list(o.list, stdout) ? 1 : 0;
		goto out;
	}
	if (!o.kver) {
		if (uname(&u) != 0) {
			fprintf(stderr, "%s: uname: %s\n", MK_PROG, strerror(errno));
			goto out;
		}
		o.kver = u.release;
	}
	if (!o.init)
		o.init = default_init();
	if (add_set(&o, &host, &nhost) || check_init(o.init) || check_kconfig(&o) ||
	    modset_resolve(o.basedir, o.kver, o.req, o.nreq, o.set == SET_NETBOOT ? MK_ALL_NICS : 0,
			   o.verbose, &set))
		goto out;
	note_on_demand(&o, &set);
	if (build(&img, &o, &set, &cnt) || image_write(&img, o.output, o.comp, source_date(), &res))
		goto out;
	printf("%s: wrote %s: %zu files, %lld bytes %s", MK_PROG, o.output, res.files, res.bytes,
	       compress_name(o.comp.method));
	if (o.comp.method != MK_NONE)
		printf(":%d from %lld", o.comp.level, res.raw_bytes);
	printf("; %zu modules (%zu loaded at every boot, the rest by device or when the boot needs them), "
	       "%zu aliases",
	       set.n, cnt.nload, set.aliases.n);
	if (o.nadd)
		printf("; %zu added files with %zu libraries", o.nadd, cnt.nlibs);
	if (o.busybox)
		printf("; busybox with %zu applets", cnt.napplets);
	printf("; %.2f s\n", now_s() - t0);
	rc = 0;
out:
	image_free(&img);
	modset_free(&set);
	for (size_t i = 0; i < nhost; i++)
		free(host[i]);
	free(host);
	for (size_t i = 0; i < o.nowned; i++)
		free(o.owned[i]);
	return rc;
}
