#include "identity.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "apply.h"
#include "facts.h"
#include "layers.h"
#include "persist.h"
#include "safefs.h"
#include "../common/log.h"

/* One layer of one tree; a missing layer is the normal case. */
static void apply_layer(int tree_fd, const char *tree_label, const char *layer, int rootfd, const struct ident *id,
			struct tmpl_budget *budget, struct tmpl_stats *st)
{
	char label[NI_PATH_MAX + TMPL_LAYER_MAX + 2];
	struct err_reason why;
	int fd, rc = safe_opendir(tree_fd, layer, &fd, &why);
	if (rc == -ENOENT) {
		logdbg("templates: no layer %s/%s", tree_label, layer);
		return;
	}
	snprintf(label, sizeof(label), "%s/%s", tree_label, layer);
	if (rc) {
		logx("templates: layer %s: %s; skipped", label, why.msg);
		return;
	}
	tmpl_apply_tree(fd, label, rootfd, &id->vars, budget, st);
	close(fd);
}

int identity_templates(int rootfd, const struct ident *id, int image_fd, const char *image_label, int root_fd,
		       const char *root_label)
{
	char layers[TMPL_MAX_LAYERS][TMPL_LAYER_MAX], refused[TMPL_LAYER_MAX];
	struct tmpl_budget budget = { 0 };
	struct tmpl_stats st = { 0 };
	int nref, n;

	n = tmpl_layers((const char (*)[NI_CLASS_MAX])id->classes, id->nclasses,
			id->hostname_derived ? "" : id->hostname, id->mac_dir, layers, &nref, refused,
			sizeof(refused));
	if (nref)
		logx("templates: layer %s is not a usable directory name; %d layer(s) left out", refused, nref);
	for (int i = 0; i < n; i++) {
		if (image_fd >= 0)
			apply_layer(image_fd, image_label, layers[i], rootfd, id, &budget, &st);
		if (root_fd >= 0)
			apply_layer(root_fd, root_label, layers[i], rootfd, id, &budget, &st);
	}
	logx("templates: %d file(s) (%d rendered), %d dir(s), %d symlink(s) written, %d skipped", st.files,
	     st.rendered, st.dirs, st.links, st.skipped);
	return st.skipped + nref + budget.exhausted;
}

/* The tree at path below base_fd as an fd, or -errno (-ENOENT, the usual
 * case, is not an error: defaults only). */
static int open_tree(int base_fd, const char *path, const char *where)
{
	struct err_reason why;
	int fd, rc = safe_opendir(base_fd, path, &fd, &why);
	if (rc == -ENOENT)
		logdbg("templates: no tree at %s in %s", path, where);
	else if (rc)
		logx("templates: tree %s in %s: %s; not used", path, where, why.msg);
	return rc ? rc : fd;
}

static void build(const struct identity_opts *opts, const struct net_lease *lease, const char *nfs_server,
		  const char *root_path, struct ident *id)
{
	static char warn[NI_MAX_USERVARS][NI_WARN_MAX];
	struct utsname u;
	struct ident_input in = { opts, lease, nfs_server, root_path, uname(&u) == 0 ? u.release : "" };
	int nwarn;

	(void)ident_build(&in, id, warn, NI_MAX_USERVARS, &nwarn); /* always 0: what it refused is in warn[] */
	for (int i = 0; i < nwarn; i++)
		logx("identity: %s", warn[i]);
	logx("identity: %s%s%s%s, mac %s, machine-id %s, node %ld", id->hostname,
	     id->hostname_derived ? " (derived from the MAC)" : "", strcmp(id->fqdn, id->hostname) ? ", fqdn " : "",
	     strcmp(id->fqdn, id->hostname) ? id->fqdn : "", id->have_mac ? id->mac_dir : "none",
	     id->machine_id[0] ? id->machine_id : "none", id->node);
}

static void persist(const struct identity_opts *opts, const struct ident *id, const char *nfs_server, int rootfd,
		    const char *newroot)
{
	static struct persist_spec spec;
	struct err_reason err;
	if (persist_parse(opts->persist, opts->persist_paths, &id->vars, nfs_server, &spec, &err)) {
		logx("persist: %s; node state stays on the tmpfs", err.msg);
		return;
	}
	if (persist_mount(&spec, rootfd, newroot))
		logx("persist: %s:%s not mounted; node state stays on the tmpfs", spec.server, spec.path);
}

void identity_stage(const struct identity_opts *opts, const struct net_lease *lease, const char *nfs_server,
		    const char *root_path, const char *lower, const char *newroot, const char **hostname,
		    const char **machine_id)
{
	static struct ident id;
	int rootfd, lowerfd, imagefd, image_tree = -1, root_tree = -1;

	build(opts, lease, nfs_server, root_path, &id);
	*hostname = id.hostname;
	*machine_id = id.machine_id[0] ? id.machine_id : NULL;
	if (sethostname(id.hostname, strlen(id.hostname)) < 0)
		logerr(errno, "identity: sethostname %s", id.hostname);
	rootfd = open(newroot, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0) {
		logerr(errno, "identity: opening %s; node files not written", newroot);
		return;
	}
	if (opts->persist[0])
		persist(opts, &id, nfs_server, rootfd, newroot);
	identity_defaults(rootfd, &id, lease);

	if ((imagefd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		image_tree = open_tree(imagefd, IDENTITY_IMAGE_TEMPLATES, "the image");
		close(imagefd);
	}
	if (opts->templates[0] && (lowerfd = open(lower, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		root_tree = open_tree(lowerfd, opts->templates, "the shared root");
		close(lowerfd);
	}
	if (image_tree < 0 && root_tree < 0)
		logx("templates: none (looked for %s in the image and %s in the shared root); defaults only",
		     IDENTITY_IMAGE_TEMPLATES, opts->templates[0] ? opts->templates : "(off)");
	else
		/* each problem is on the console already; the boot goes on without it */
		(void)identity_templates(rootfd, &id, image_tree, "image:" IDENTITY_IMAGE_TEMPLATES, root_tree,
				   opts->templates);
	if (image_tree >= 0)
		close(image_tree);
	if (root_tree >= 0)
		close(root_tree);
	close(rootfd);
}
