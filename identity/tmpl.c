#include "tmpl.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

bool tmpl_name_ok(const char *name, size_t len)
{
	if (len == 0 || len >= NI_VARNAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)name[i]) && !strchr("_.-", name[i]))
			return false;
	return true;
}

int tmpl_var_set(struct tmpl_vars *vars, const char *name, const char *value)
{
	size_t n = strlen(name);
	if (n >= NI_VARNAME_MAX)
		return -ENAMETOOLONG;
	if (!tmpl_name_ok(name, n))
		return -EINVAL;
	if (strlen(value) >= NI_VARVAL_MAX)
		return -E2BIG;
	if (tmpl_var_get(vars, name, n))
		return -EEXIST;
	if (vars->n >= NI_MAX_VARS)
		return -ENOSPC;
	strcpy(vars->v[vars->n].name, name);
	strcpy(vars->v[vars->n].value, value);
	vars->n++;
	return 0;
}

const char *tmpl_var_get(const struct tmpl_vars *vars, const char *name, size_t namelen)
{
	for (int i = 0; i < vars->n; i++)
		if (strlen(vars->v[i].name) == namelen && !memcmp(vars->v[i].name, name, namelen))
			return vars->v[i].value;
	return NULL;
}

static int at_line(struct err_reason *err, int line, int rc)
{
	if (err)
		err->line = line;
	return rc;
}

static bool emit(char *out, size_t cap, size_t *o, const char *s, size_t n)
{
	if (n >= cap - *o)
		return false;
	memcpy(out + *o, s, n);
	*o += n;
	return true;
}

/* in[*i] is at "{{"; on success *i is past "}}". */
static int substitute(const char *in, size_t len, size_t *i, int line, const struct tmpl_vars *vars,
		      char *out, size_t cap, size_t *o, struct err_reason *err)
{
	size_t s = *i + 2, e, close;
	const char *val;

	for (close = s; close + 1 < len && in[close] != '\n'; close++)
		if (in[close] == '}' && in[close + 1] == '}')
			break;
	if (close + 1 >= len || in[close] == '\n')
		return at_line(err, line, err_fail(err, -EINVAL, "'{{' without '}}' on the same line"));
	while (s < close && (in[s] == ' ' || in[s] == '\t'))
		s++;
	e = close;
	while (e > s && (in[e - 1] == ' ' || in[e - 1] == '\t'))
		e--;
	if (!tmpl_name_ok(in + s, e - s))
		return at_line(err, line, err_fail(err, -EINVAL, "'{{%.*s}}' is not a variable name",
						   (int)(close - *i - 2 > 40 ? 40 : close - *i - 2), in + *i + 2));
	if (!(val = tmpl_var_get(vars, in + s, e - s)))
		return at_line(err, line, err_fail(err, -EINVAL, "unknown variable {{%.*s}}", (int)(e - s), in + s));
	if (!emit(out, cap, o, val, strlen(val)))
		return -EFBIG;
	*i = close + 2;
	return 0;
}

int tmpl_render(const char *in, size_t len, const struct tmpl_vars *vars, char *out, size_t cap,
		size_t *outlen, struct err_reason *err)
{
	size_t i = 0, o = 0;
	int line = 1, rc;

	if (err)
		*err = (struct err_reason){ 0, "" };
	if (cap == 0)
		return -EFBIG;
	while (i < len) {
		if (in[i] == '\\' && i + 2 < len && in[i + 1] == '{' && in[i + 2] == '{') {
			if (!emit(out, cap, &o, "{{", 2))
				goto big;
			i += 3;
		} else if (in[i] == '{' && i + 1 < len && in[i + 1] == '{') {
			rc = substitute(in, len, &i, line, vars, out, cap, &o, err);
			if (rc == -EFBIG)
				goto big;
			if (rc)
				return rc;
		} else {
			if (in[i] == '\n')
				line++;
			if (!emit(out, cap, &o, in + i, 1))
				goto big;
			i++;
		}
	}
	out[o] = '\0';
	*outlen = o;
	return 0;
big:
	out[o] = '\0';
	return at_line(err, line, err_fail(err, -EFBIG, "rendered text larger than %zu bytes", cap - 1));
}
