/* Template variables and the renderer: pure, no I/O, no logging.
 *
 * Syntax: {{name}} (spaces inside the braces allowed) is replaced by the
 * variable's value; \{{ is a literal "{{". Names are letters, digits, _ . -
 * An unknown name, a bad name or a "{{" not closed on its line is an error
 * that names the line; the caller skips the whole file. */
#ifndef NFSINIT_TMPL_H
#define NFSINIT_TMPL_H

#include <stdbool.h>
#include <stddef.h>
#include "../common/err.h"
#include "../common/limits.h"

struct tmpl_vars {
	int n;
	struct {
		char name[NI_VARNAME_MAX];
		char value[NI_VARVAL_MAX];
	} v[NI_MAX_VARS];
};

/* 0, -EEXIST when name is set already (the first value stays),
 * -ENAMETOOLONG / -E2BIG when name / value do not fit, -ENOSPC when full,
 * -EINVAL when name is not a variable name. */
int tmpl_var_set(struct tmpl_vars *vars, const char *name, const char *value);
const char *tmpl_var_get(const struct tmpl_vars *vars, const char *name, size_t namelen);
bool tmpl_name_ok(const char *name, size_t len);

/* Renders in[0..len) into out (cap bytes; NUL-terminated, *outlen without
 * it). 0, -EINVAL (syntax or unknown variable, err says which line) or
 * -EFBIG (the result does not fit in out). */
int tmpl_render(const char *in, size_t len, const struct tmpl_vars *vars, char *out, size_t cap,
		size_t *outlen, struct err_reason *err);

#endif
