/* nfsinit-mkimage: builds the initramfs that boots a diskless node with
 * nfsinit. Deliberately not called mkinitramfs: it must never shadow
 * initramfs-tools on the machine that builds images. */
#include "mkimage.h"
#include "../init/modindex.h"

#include <elf.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#ifndef NFSINIT_PREFIX
#define NFSINIT_PREFIX "/usr/local"
#endif

#define REQ_MAX 256

/* NICs a cluster node is likely to boot from, then what an NFS root with an
 * overlay needs. A NIC driver the kernel lacks is skipped without a word. */
static const char *const default_nics[] = {
	"virtio_net", "virtio_pci", "vmxnet3", "e1000", "e1000e", "igb", "r8169", "ena", "gve",
};
static const char *const default_fs[] = { "nfs", "nfsv3", "nfsv4", "overlay" };

struct opts {
	const char *kver, *basedir, *init, *output, *list;
	enum mk_compress comp;
	bool defaults, verbose;
	struct mk_request req[REQ_MAX];
	size_t nreq;
	const char *add[REQ_MAX];
	size_t nadd;
	char *mods_copy[REQ_MAX];
	size_t nmods_copy;
};

static void usage(FILE *f)
{
	fprintf(f,
"Usage: " MK_PROG " [options] -o FILE\n"
"       " MK_PROG " -l IMAGE\n"
"Build the nfsinit initramfs: /init, the kernel modules a diskless node needs\n"
"to reach its NFS root (with their dependencies, in load order) and the index\n"
"/init loads them from (" MODINDEX_PATH ").\n"
"\n"
"  -k, --kver KVER         kernel release to build for (default: uname -r)\n"
"  -b, --basedir DIR       modules are in DIR/lib/modules/KVER, as for depmod -b\n"
"                          (default: /); depmod -b runs if modules.dep is missing\n"
"  -i, --init PATH         the /init binary (default: 'init' next to this program,\n"
"                          then ../lib/nfsinit/init from it, then\n"
"                          " NFSINIT_PREFIX "/lib/nfsinit/init)\n"
"  -o, --output FILE       the image; written to a temporary file beside it and\n"
"                          renamed when complete\n"
"  -m, --modules A,B,...   also add these modules (names or aliases); may repeat.\n"
"                          A module the kernel does not have is an error\n"
"      --no-default-modules  only what -m asks for. The defaults are the NIC\n"
"                          drivers virtio_net virtio_pci vmxnet3 e1000 e1000e igb\n"
"                          r8169 ena gve (those the kernel has) and nfs nfsv3\n"
"                          nfsv4 overlay\n"
"  -c, --compress METHOD   gzip (default), zstd, xz or none. The kernel must\n"
"                          unpack it: CONFIG_RD_GZIP, _ZSTD or _XZ=y (checked\n"
"                          when BASEDIR/boot/config-KVER exists). xz runs the\n"
"                          xz program (the kernel needs --check=crc32)\n"
"      --add SRC:DEST      add host file SRC as DEST (absolute) in the image;\n"
"                          may repeat\n"
"  -l, --list IMAGE        print an image's contents and exit\n"
"  -v, --verbose           say which modules are added or skipped and why\n"
"  -h, --help              this text\n"
"\n"
"Reproducible: entries sorted, owned 0:0, mtime SOURCE_DATE_EPOCH (or 0).\n"
"Exit status: 0 on success, 1 on any error (the output is then left as it was).\n");
}

static int add_modules_arg(struct opts *o, const char *arg)
{
	char *copy = strdup(arg), *tok, *save = NULL;

	if (!copy || o->nmods_copy == REQ_MAX)
		return -1;
	o->mods_copy[o->nmods_copy++] = copy;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (o->nreq == REQ_MAX) {
			fprintf(stderr, "%s: too many modules (at most %d)\n", MK_PROG, REQ_MAX);
			return -1;
		}
		o->req[o->nreq++] = (struct mk_request){ tok, true, true };
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	enum { OPT_NO_DEFAULTS = 256, OPT_ADD };
	static const struct option lopts[] = {
		{ "kver", required_argument, NULL, 'k' },
		{ "basedir", required_argument, NULL, 'b' },
		{ "init", required_argument, NULL, 'i' },
		{ "output", required_argument, NULL, 'o' },
		{ "modules", required_argument, NULL, 'm' },
		{ "no-default-modules", no_argument, NULL, OPT_NO_DEFAULTS },
		{ "compress", required_argument, NULL, 'c' },
		{ "add", required_argument, NULL, OPT_ADD },
		{ "list", required_argument, NULL, 'l' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "k:b:i:o:m:c:l:vh", lopts, NULL)) != -1) {
		switch (c) {
		case 'k': o->kver = optarg; break;
		case 'b': o->basedir = optarg; break;
		case 'i': o->init = optarg; break;
		case 'o': o->output = optarg; break;
		case 'l': o->list = optarg; break;
		case 'v': o->verbose = true; break;
		case OPT_NO_DEFAULTS: o->defaults = false; break;
		case 'm':
			if (add_modules_arg(o, optarg))
				return -1;
			break;
		case 'c':
			if (compress_parse(optarg, &o->comp)) {
				fprintf(stderr, "%s: -c %s: expected gzip, zstd, xz or none\n", MK_PROG, optarg);
				return -1;
			}
			break;
		case OPT_ADD:
			if (o->nadd == REQ_MAX)
				return -1;
			o->add[o->nadd++] = optarg;
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
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

/* -i not given: the build tree's init beside us, else the installed one. */
static const char *default_init(void)
{
	static char path[4096];
	char exe[2048];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n > 0) {
		exe[n] = '\0';
		dirname(exe);  /* in place for a path that has a '/' */
		snprintf(path, sizeof(path), "%s/init", exe);
		if (access(path, F_OK) == 0)
			return path;
		snprintf(path, sizeof(path), "%s/../lib/nfsinit/init", exe);
		if (access(path, F_OK) == 0)
			return path;
	}
	return NFSINIT_PREFIX "/lib/nfsinit/init";
}

/* /init runs before any library is there: a dynamic one cannot start. */
static void check_static(const char *path)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	FILE *f = fopen(path, "rb");

	if (!f)
		return;
	if (fread(&eh, sizeof(eh), 1, f) == 1 && memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 &&
	    eh.e_ident[EI_CLASS] == ELFCLASS64) {
		for (unsigned i = 0; i < eh.e_phnum; i++) {
			if (fseek(f, (long)(eh.e_phoff + (Elf64_Off)i * eh.e_phentsize), SEEK_SET) != 0 ||
			    fread(&ph, sizeof(ph), 1, f) != 1)
				break;
			if (ph.p_type == PT_INTERP) {
				fprintf(stderr, "%s: warning: %s is dynamically linked; the image carries "
					"no libraries, so it will not start as /init\n", MK_PROG, path);
				break;
			}
		}
	}
	fclose(f);
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
	check_static(path);
	return 0;
}

/* Refuses a compression the target kernel cannot unpack, when its config is at hand. */
static int check_kconfig(const struct opts *o)
{
	const char *opt = compress_kconfig(o->comp);
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
				compress_name(o->comp));
		return 0;
	}
	ol = strlen(opt);
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, opt, ol) == 0 && strncmp(line + ol, "=y", 2) == 0)
			set = true;
	fclose(f);
	if (!set) {
		fprintf(stderr, "%s: kernel %s cannot unpack a %s image (%s is not set in %s); "
			"choose another -c\n", MK_PROG, o->kver, compress_name(o->comp), opt, path);
		return -1;
	}
	return 0;
}

static void add_defaults(struct opts *o)
{
	struct mk_request all[REQ_MAX];
	size_t n = 0;

	for (size_t i = 0; i < sizeof(default_nics) / sizeof(default_nics[0]); i++)
		all[n++] = (struct mk_request){ default_nics[i], false, false };
	for (size_t i = 0; i < sizeof(default_fs) / sizeof(default_fs[0]); i++)
		all[n++] = (struct mk_request){ default_fs[i], false, true };
	for (size_t i = 0; i < o->nreq && n < REQ_MAX; i++)
		all[n++] = o->req[i];
	memcpy(o->req, all, n * sizeof(all[0]));
	o->nreq = n;
}

static int add_index(struct mk_image *img, const struct mk_modset *set, const char *kver)
{
	struct modindex *idx = calloc(1, sizeof(*idx));
	char *text = malloc(MODINDEX_FILE_MAX);
	const char *deps[MODINDEX_DEPS_MAX * 4], *what = "";
	long len;
	int rc = -1;

	if (!idx || !text)
		goto out;
	modindex_init(idx);
	if (modindex_set_kver(idx, kver) != 0) {
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
		if (modindex_add_module(idx, set->mods[i].name, set->mods[i].dest, deps, nd, &what)) {
			fprintf(stderr, "%s: module %s (%s): cannot go in the index: %s\n", MK_PROG,
				set->mods[i].name, set->mods[i].dest, what);
			goto out;
		}
	}
	for (size_t i = 0; i < set->n; i++)
		if (set->mods[i].load && modindex_set_load(idx, set->mods[i].name, &what)) {
			fprintf(stderr, "%s: module %s: %s\n", MK_PROG, set->mods[i].name, what);
			goto out;
		}
	for (size_t i = 0; i < set->aliases.n; i++)
		if (modindex_add_alias(idx, set->aliases.a[i].pattern, set->aliases.a[i].module, &what)) {
			fprintf(stderr, "%s: alias %s of %s cannot go in the index: %s\n", MK_PROG,
				set->aliases.a[i].pattern, set->aliases.a[i].module, what);
			goto out;
		}
	if ((len = modindex_format(idx, text, MODINDEX_FILE_MAX)) < 0) {
		fprintf(stderr, "%s: the module index is over %d bytes\n", MK_PROG, MODINDEX_FILE_MAX);
		goto out;
	}
	rc = image_add_data(img, MODINDEX_PATH, 0644, (unsigned char *)text, (size_t)len);
	text = NULL;
out:
	free(text);
	free(idx);
	return rc;
}

static int add_extra(struct mk_image *img, const char *spec)
{
	char src[4096];
	const char *colon = strrchr(spec, ':');
	struct stat st;

	if (!colon || colon == spec || colon[1] != '/' || (size_t)(colon - spec) >= sizeof(src)) {
		fprintf(stderr, "%s: --add %s: expected SRC:/DEST\n", MK_PROG, spec);
		return -1;
	}
	memcpy(src, spec, (size_t)(colon - spec));
	src[colon - spec] = '\0';
	if (stat(src, &st) != 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "%s: --add %s: %s is not a readable file\n", MK_PROG, spec, src);
		return -1;
	}
	return image_add_file(img, colon + 1, st.st_mode & 07777, src);
}

static int build(struct mk_image *img, const struct opts *o, const struct mk_modset *set)
{
	static const char *const dirs[] = { "/dev", "/proc", "/sys", "/run", "/newroot", "/etc", "/lib" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (image_add_dir(img, dirs[i]))
			return -1;
	/* The kernel opens /dev/console for init's stdio before devtmpfs exists. */
	if (image_add_chardev(img, "/dev/console", 0600, 5, 1) || image_add_file(img, "/init", 0755, o->init))
		return -1;
	for (size_t i = 0; i < set->n; i++)
		if (image_add_module(img, set->mods[i].dest, set->mods[i].src))
			return -1;
	if (add_index(img, set, o->kver))
		return -1;
	for (size_t i = 0; i < o->nadd; i++)
		if (add_extra(img, o->add[i]))
			return -1;
	return 0;
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

int main(int argc, char **argv)
{
	struct opts o = { .basedir = "/", .comp = MK_GZIP, .defaults = true };
	struct mk_modset set = { 0 };
	struct mk_image img;
	struct mk_result res = { 0 };
	struct utsname u;
	int rc = 1;

	if (parse_args(argc, argv, &o))
		return 1;
	if (o.list)
		return image_list(o.list, stdout) ? 1 : 0;
	if (!o.kver) {
		if (uname(&u) != 0)
			return fprintf(stderr, "%s: uname: %s\n", MK_PROG, strerror(errno)), 1;
		o.kver = u.release;
	}
	if (!o.init)
		o.init = default_init();
	if (o.defaults)
		add_defaults(&o);
	image_init(&img);
	if (check_init(o.init) || check_kconfig(&o) ||
	    modset_resolve(o.basedir, o.kver, o.req, o.nreq, o.defaults ? MK_ALL_NICS : 0, o.verbose, &set) ||
	    build(&img, &o, &set) || image_write(&img, o.output, o.comp, source_date(), &res))
		goto out;
	printf("%s: wrote %s: %zu files, %lld bytes (%lld uncompressed), %zu modules\n", MK_PROG,
	       o.output, res.files, res.bytes, res.raw_bytes, set.n);
	rc = 0;
out:
	image_free(&img);
	modset_free(&set);
	for (size_t i = 0; i < o.nmods_copy; i++)
		free(o.mods_copy[i]);
	return rc;
}
