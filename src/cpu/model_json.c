/* SPDX-License-Identifier: MIT */
/*
 * CPU model files: data/models/<name>.json, schema in docs/models.md.
 * Strict: malformed JSON, unknown or missing fields and out-of-range values
 * are errors naming the file and the JSON path of the field.
 */
#include "cpu/model_json.h"
#include "cpu/json_priv.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/err.h"

#define PATH_LEN 96		/* JSON paths in messages */

int jerr(const struct jctx *c, const char *path, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(-EINVAL, "%s: %s: %s", c->origin, path, msg);
}

int jload(const struct jctx *c, const char *text, size_t len, json_t **root)
{
	json_error_t je;

	*root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!*root)
		return err_set(-EINVAL, "%s:%d:%d: malformed JSON: %s", c->origin, je.line, je.column, je.text);
	if (!json_is_object(*root)) {
		json_decref(*root);
		*root = NULL;
		return err_set(-EINVAL, "%s: top level: not a JSON object", c->origin);
	}
	return 0;
}

int jcheck_keys(const struct jctx *c, const char *path, json_t *obj, const char *const *allowed)
{
	const char *key;
	json_t *v;

	json_object_foreach(obj, key, v) {
		bool ok = false;

		for (const char *const *a = allowed; *a; a++)
			if (!strcmp(*a, key))
				ok = true;
		if (!ok) {
			char list[256] = "";
			size_t n = 0;

			for (const char *const *a = allowed; *a && n < sizeof(list) - 1; a++)
				n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", a == allowed ? "" : ", ", *a);
			return jerr(c, path, "unknown field \"%.64s\" (known: %s)", key, list);
		}
	}
	return 0;
}

int jmember(const struct jctx *c, const char *path, json_t *obj, const char *key, json_t **out)
{
	*out = json_object_get(obj, key);
	if (!*out) {
		if (!strcmp(path, "top level"))
			return jerr(c, key, "missing required field");
		return jerr(c, path, "missing required field \"%s\"", key);
	}
	return 0;
}

int jget_uint(const struct jctx *c, const char *path, json_t *v, unsigned int bits, uint64_t *out)
{
	uint64_t max = bits >= 64 ? UINT64_MAX : (1ull << bits) - 1, x = 0;

	if (json_is_integer(v)) {
		json_int_t i = json_integer_value(v);

		if (i < 0 || (uint64_t)i > max)
			return jerr(c, path, "%" JSON_INTEGER_FORMAT " out of range (0..0x%" PRIx64 ")", i, max);
		*out = (uint64_t)i;
		return 0;
	}
	if (!json_is_string(v))
		return jerr(c, path, "want a hex string \"0x...\" or a number");
	{
		const char *s = json_string_value(v);
		size_t n = json_string_length(v);

		if (n < 3 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
			return jerr(c, path, "\"%.40s\" is not a hex string \"0x...\"", s);
		for (size_t i = 2; i < n; i++) {
			int d;

			if (!isxdigit((unsigned char)s[i]))
				return jerr(c, path, "\"%.40s\" is not a hex string \"0x...\"", s);
			d = isdigit((unsigned char)s[i]) ? s[i] - '0' : (tolower((unsigned char)s[i]) - 'a' + 10);
			if (x > (max >> 4))
				return jerr(c, path, "%.40s does not fit in %u bits", s, bits);
			x = x << 4 | (uint64_t)d;
		}
		if (x > max)
			return jerr(c, path, "%.40s does not fit in %u bits", s, bits);
	}
	*out = x;
	return 0;
}

int jget_u32(const struct jctx *c, const char *path, json_t *v, uint32_t *out)
{
	uint64_t x;
	int rc = jget_uint(c, path, v, 32, &x);

	if (!rc)
		*out = (uint32_t)x;
	return rc;
}

int jget_str(const struct jctx *c, const char *path, json_t *v, char *buf, size_t len)
{
	size_t n;

	if (!json_is_string(v))
		return jerr(c, path, "want a string");
	n = json_string_length(v);
	if (n >= len)
		return jerr(c, path, "string too long (%zu bytes, max %zu)", n, len - 1);
	if (memchr(json_string_value(v), '\0', n))
		return jerr(c, path, "string contains NUL");
	memcpy(buf, json_string_value(v), n + 1);
	return 0;
}

static int jget_reg(const struct jctx *c, const char *path, json_t *obj, const char *key, uint32_t *out)
{
	char p[PATH_LEN];
	json_t *v;
	int rc = jmember(c, path, obj, key, &v);

	if (rc)
		return rc;
	snprintf(p, sizeof(p), "%s.%s", path, key);
	return jget_u32(c, p, v, out);
}

int jparse_cpuid(const struct jctx *c, const char *path, json_t *arr, struct cpuid_set *out)
{
	static const char *const keys[] = { "leaf", "subleaf", "indexed", "eax", "ebx", "ecx", "edx", NULL };
	size_t i;
	json_t *e;

	if (!json_is_array(arr))
		return jerr(c, path, "want an array of CPUID entries");
	if (json_array_size(arr) > CPUID_MAX_ENTRIES)
		return jerr(c, path, "%zu entries, max %d", json_array_size(arr), CPUID_MAX_ENTRIES);
	out->nent = 0;
	json_array_foreach(arr, i, e) {
		struct cpuid_entry ce = { 0 };
		char p[PATH_LEN], q[PATH_LEN + 16];
		json_t *v;
		bool indexed;
		int rc;

		snprintf(p, sizeof(p), "%s[%zu]", path, i);
		if (!json_is_object(e))
			return jerr(c, p, "want an object {\"leaf\", \"subleaf\", \"eax\", ...}");
		rc = jcheck_keys(c, p, e, keys);
		if (!rc)
			rc = jget_reg(c, p, e, "leaf", &ce.function);
		if (rc)
			return rc;
		indexed = cpuid_leaf_indexed(ce.function);
		v = json_object_get(e, "indexed");
		if (v) {
			snprintf(q, sizeof(q), "%s.indexed", p);
			if (!json_is_boolean(v))
				return jerr(c, q, "want true or false");
			indexed = json_is_true(v);
		}
		v = json_object_get(e, "subleaf");
		if (v) {
			snprintf(q, sizeof(q), "%s.subleaf", p);
			rc = jget_u32(c, q, v, &ce.index);
			if (rc)
				return rc;
			if (ce.index && !indexed)
				return jerr(c, q, "leaf 0x%" PRIx32 " has no subleaves (subleaf must be 0)", ce.function);
		}
		ce.flags = indexed ? CPUID_F_INDEXED : 0;
		rc = jget_reg(c, p, e, "eax", &ce.eax);
		if (!rc)
			rc = jget_reg(c, p, e, "ebx", &ce.ebx);
		if (!rc)
			rc = jget_reg(c, p, e, "ecx", &ce.ecx);
		if (!rc)
			rc = jget_reg(c, p, e, "edx", &ce.edx);
		if (rc)
			return rc;
		for (unsigned int k = 0; k < out->nent; k++)
			if (out->ent[k].function == ce.function && out->ent[k].index == ce.index)
				return jerr(c, p, "leaf 0x%" PRIx32 " subleaf 0x%" PRIx32 " already given in %s[%u]",
					    ce.function, ce.index, path, k);
		/* Appending keeps ent[i] == the i-th array element (messages rely on it). */
		out->ent[out->nent++] = ce;
	}
	return 0;
}

/* Keys allowed besides "cpuid.<leaf>.<subleaf>.<reg>" (docs/models.md). */
static const char *const plain_source_keys[] = {
	"signature", "arch_capabilities", "isa", "qemu", "note", "vendor",
	"kernel", "microcode", "caps", "feature_msrs", "unpresentable", NULL
};

static int check_source_key(const struct jctx *c, const char *path, const char *key,
			    const struct cpuid_set *leaves)
{
	char canon[64];
	uint32_t fn, idx;
	enum cpuid_reg r;
	char *end;

	for (const char *const *k = plain_source_keys; *k; k++)
		if (!strcmp(*k, key))
			return 0;
	if (strncmp(key, "cpuid.0x", 8))
		goto bad;
	errno = 0;
	unsigned long a = strtoul(key + 8, &end, 16);

	if (errno || a > UINT32_MAX || *end != '.' || !isdigit((unsigned char)end[1]))
		goto bad;
	unsigned long b = strtoul(end + 1, &end, 10);

	if (errno || b > UINT32_MAX || *end != '.')
		goto bad;
	fn = (uint32_t)a;
	idx = (uint32_t)b;
	err_clear();
	if (cpuid_reg_parse(end + 1, &r))
		goto bad;
	cpuid_source_key(canon, sizeof(canon), fn, idx, r);
	if (strcmp(canon, key))
		return jerr(c, path, "source key \"%.63s\": write it as \"%s\"", key, canon);
	if (leaves && !cpuid_find(leaves, fn, idx))
		return jerr(c, path, "source key \"%s\": the model does not define leaf 0x%" PRIx32
			    " subleaf %" PRIu32, key, fn, idx);
	return 0;
bad:
	return jerr(c, path, "unknown source key \"%.63s\" (want cpuid.0x<leaf>.<subleaf>.<reg>, "
		    "signature, arch_capabilities, isa, qemu, note, ...)", key);
}

int jparse_sources(const struct jctx *c, const char *path, json_t *obj, struct model_source *src,
		   unsigned int max, unsigned int *n, const struct cpuid_set *leaves)
{
	const char *key;
	json_t *v;

	if (!json_is_object(obj))
		return jerr(c, path, "want an object {\"key\": \"where the value comes from\"}");
	*n = 0;
	json_object_foreach(obj, key, v) {
		char p[PATH_LEN];
		int rc;

		snprintf(p, sizeof(p), "%s.%.63s", path, key);
		if (*n >= max)
			return jerr(c, path, "too many entries (max %u)", max);
		if (strlen(key) >= sizeof(src->key))
			return jerr(c, p, "key too long (max %zu)", sizeof(src->key) - 1);
		rc = check_source_key(c, p, key, leaves);
		if (!rc)
			rc = jget_str(c, p, v, src[*n].text, sizeof(src[*n].text));
		if (rc)
			return rc;
		memcpy(src[*n].key, key, strlen(key) + 1);
		(*n)++;
	}
	return 0;
}

int jread_file(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 65536, n = 0;
	char *buf;

	*text = NULL;
	*len = 0;
	if (!f)
		return err_set(-errno, "%s: %s", path, strerror(errno));
	buf = malloc(cap);
	for (;;) {
		size_t r;

		if (!buf) {
			fclose(f);
			return err_set(-ENOMEM, "%s: out of memory", path);
		}
		r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0)
			break;
		if (n + 1 == cap) {
			char *nb;

			if (cap >= (64u << 20)) {
				free(buf);
				fclose(f);
				return err_set(-EFBIG, "%s: larger than 64 MiB", path);
			}
			nb = realloc(buf, cap * 2);
			if (!nb)
				free(buf);
			buf = nb;
			cap *= 2;
		}
	}
	if (ferror(f)) {
		int e = errno;

		free(buf);
		fclose(f);
		return err_set(-e, "%s: read: %s", path, strerror(e));
	}
	fclose(f);
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

void jw_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			fprintf(f, "\\%c", ch);
		else if (ch == '\n')
			fputs("\\n", f);
		else if (ch == '\t')
			fputs("\\t", f);
		else if (ch < 0x20 || ch == 0x7f)
			fprintf(f, "\\u%04x", ch);
		else
			fputc(ch, f);
	}
	fputc('"', f);
}

void jw_cpuid(FILE *f, const struct cpuid_set *set)
{
	fputs("[\n", f);
	for (unsigned int i = 0; i < set->nent; i++) {
		const struct cpuid_entry *e = &set->ent[i];
		bool indexed = e->flags & CPUID_F_INDEXED;

		fprintf(f, "    {\"leaf\": \"0x%" PRIx32 "\", \"subleaf\": \"0x%" PRIx32 "\", ",
			e->function, indexed ? e->index : 0);
		if (indexed != cpuid_leaf_indexed(e->function))
			fprintf(f, "\"indexed\": %s, ", indexed ? "true" : "false");
		fprintf(f, "\"eax\": \"0x%08" PRIx32 "\", \"ebx\": \"0x%08" PRIx32 "\", "
			"\"ecx\": \"0x%08" PRIx32 "\", \"edx\": \"0x%08" PRIx32 "\"}%s\n",
			e->eax, e->ebx, e->ecx, e->edx, i + 1 < set->nent ? "," : "");
	}
	fputs("  ]", f);
}

void jw_sources(FILE *f, const struct model_source *src, unsigned int n)
{
	fputs("{", f);
	for (unsigned int i = 0; i < n; i++) {
		fputs(i ? ",\n    " : "\n    ", f);
		jw_str(f, src[i].key);
		fputs(": ", f);
		jw_str(f, src[i].text);
	}
	fputs(n ? "\n  }" : "}", f);
}

/* ---- the model format ---------------------------------------------------- */

static int parse_name(const struct jctx *c, json_t *v, char *buf, size_t len)
{
	int rc = jget_str(c, "name", v, buf, len);

	if (rc)
		return rc;
	if (!buf[0])
		return jerr(c, "name", "empty");
	for (const char *p = buf; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && !strchr("-_.", *p))
			return jerr(c, "name", "\"%s\": use lower-case letters, digits, '-', '_', '.'", buf);
	return 0;
}

int model_parse_json(const char *text, size_t len, const char *origin, struct cpu_model *m)
{
	static const char *const keys[] = {
		"format", "name", "description", "vendor", "family", "model", "stepping",
		"data", "qemu", "cpuid", "arch_capabilities", "sources", NULL
	};
	struct jctx c = { .origin = origin ? origin : "<model>" };
	char buf[64];
	json_t *root, *v;
	uint64_t x;
	int rc;

	memset(m, 0, sizeof(*m));
	rc = jload(&c, text, len, &root);
	if (rc)
		return rc;
	rc = jcheck_keys(&c, "top level", root, keys);
	if (rc)
		goto out;
	if ((rc = jmember(&c, "top level", root, "format", &v)) || (rc = jget_str(&c, "format", v, buf, sizeof(buf))))
		goto out;
	if (strcmp(buf, MODEL_FORMAT)) {
		rc = jerr(&c, "format", "\"%s\" is not \"%s\"", buf, MODEL_FORMAT);
		goto out;
	}
	if ((rc = jmember(&c, "top level", root, "name", &v)) || (rc = parse_name(&c, v, m->name, sizeof(m->name))))
		goto out;
	if ((rc = jmember(&c, "top level", root, "description", &v)) ||
	    (rc = jget_str(&c, "description", v, m->description, sizeof(m->description))))
		goto out;
	if ((rc = jmember(&c, "top level", root, "vendor", &v)) || (rc = jget_str(&c, "vendor", v, buf, sizeof(buf))))
		goto out;
	m->vendor = cpu_vendor_parse(buf);
	if (m->vendor == VENDOR_UNKNOWN) {
		rc = jerr(&c, "vendor", "\"%s\" (want GenuineIntel or AuthenticAMD)", buf);
		goto out;
	}
	if ((rc = jmember(&c, "top level", root, "family", &v)) || (rc = jget_uint(&c, "family", v, 32, &x)))
		goto out;
	if (x > 0xf + 0xff) {
		rc = jerr(&c, "family", "%" PRIu64 " out of range (0..%d)", x, 0xf + 0xff);
		goto out;
	}
	m->family = (uint32_t)x;
	if ((rc = jmember(&c, "top level", root, "model", &v)) || (rc = jget_uint(&c, "model", v, 8, &x)))
		goto out;
	m->model = (uint32_t)x;
	if ((rc = jmember(&c, "top level", root, "stepping", &v)) || (rc = jget_uint(&c, "stepping", v, 4, &x)))
		goto out;
	m->stepping = (uint32_t)x;
	if ((rc = jmember(&c, "top level", root, "data", &v)) ||
	    (rc = jget_str(&c, "data", v, m->data_kind, sizeof(m->data_kind))))
		goto out;
	if (strcmp(m->data_kind, "raw") && strcmp(m->data_kind, "kvm") && strcmp(m->data_kind, "derived")) {
		rc = jerr(&c, "data", "\"%s\" (want raw, kvm or derived)", m->data_kind);
		goto out;
	}
	v = json_object_get(root, "qemu");
	if (v && (rc = jget_str(&c, "qemu", v, m->qemu, sizeof(m->qemu))))
		goto out;
	if ((rc = jmember(&c, "top level", root, "cpuid", &v)) || (rc = jparse_cpuid(&c, "cpuid", v, &m->cpuid)))
		goto out;
	if ((rc = jmember(&c, "top level", root, "arch_capabilities", &v)) ||
	    (rc = jget_uint(&c, "arch_capabilities", v, 64, &m->arch_cap)))
		goto out;
	if ((rc = jmember(&c, "top level", root, "sources", &v)) ||
	    (rc = jparse_sources(&c, "sources", v, m->sources, MODEL_MAX_SOURCES, &m->nsources, &m->cpuid)))
		goto out;
	rc = model_validate(m);
	if (rc)
		err_prefix(rc, "%s", c.origin);
out:
	json_decref(root);
	return rc;
}

int model_write_json(const struct cpu_model *m, FILE *f)
{
	fputs("{\n  \"format\": ", f);
	jw_str(f, MODEL_FORMAT);
	fputs(",\n  \"name\": ", f);
	jw_str(f, m->name);
	fputs(",\n  \"description\": ", f);
	jw_str(f, m->description);
	fprintf(f, ",\n  \"vendor\": \"%s\",\n", cpu_vendor_name(m->vendor));
	fprintf(f, "  \"family\": %" PRIu32 ",\n  \"model\": %" PRIu32 ",\n  \"stepping\": %" PRIu32 ",\n",
		m->family, m->model, m->stepping);
	fputs("  \"data\": ", f);
	jw_str(f, m->data_kind);
	if (m->qemu[0]) {
		fputs(",\n  \"qemu\": ", f);
		jw_str(f, m->qemu);
	}
	fputs(",\n  \"cpuid\": ", f);
	jw_cpuid(f, &m->cpuid);
	fprintf(f, ",\n  \"arch_capabilities\": \"0x%" PRIx64 "\",\n  \"sources\": ", m->arch_cap);
	jw_sources(f, m->sources, m->nsources);
	fputs("\n}\n", f);
	if (ferror(f))
		return err_set(-EIO, "writing model %s: %s", m->name, strerror(errno));
	return 0;
}

/* ---- built-in models ------------------------------------------------------ */

int model_search_dirs(char dirs[][4096], int max)
{
	static const char *const rel[] = { "../data/models", "../../data/models", "../share/specvisor/models" };
	char exe[PATH_MAX];
	const char *env = getenv("SPECVISOR_DATA");
	ssize_t n;
	int k = 0;

	if (env && *env && k < max)
		snprintf(dirs[k++], 4096, "%.4000s/models", env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		for (unsigned int i = 0; i < sizeof(rel) / sizeof(rel[0]) && k < max; i++)
			snprintf(dirs[k++], 4096, "%.3000s/%s", exe, rel[i]);
	}
#ifdef SPECVISOR_SRC_DATA
	/* Last: the source tree it was built from (out-of-tree BUILD=...). */
	if (k < max)
		snprintf(dirs[k++], 4096, "%.4000s/models", SPECVISOR_SRC_DATA);
#endif
	return k;
}

static bool name_is_path(const char *s)
{
	size_t n = strlen(s);

	return strchr(s, '/') || (n >= 5 && !strcmp(s + n - 5, ".json"));
}

static int load_file(const char *path, const char *origin, struct cpu_model *m)
{
	char *text;
	size_t len;
	int rc = jread_file(path, &text, &len);

	if (rc)
		return rc;
	rc = model_parse_json(text, len, origin, m);
	free(text);
	return rc;
}

int model_load(const char *name, struct cpu_model *m)
{
	char dirs[5][4096], path[4200];
	int nd, rc;

	if (name_is_path(name))
		return load_file(name, name, m);
	if (strlen(name) >= MODEL_NAME_LEN)
		return err_set(-EINVAL, "CPU model name \"%.64s...\" too long (max %d)", name, MODEL_NAME_LEN - 1);
	for (const char *p = name; *p; p++)
		if (!islower((unsigned char)*p) && !isdigit((unsigned char)*p) && !strchr("-_.", *p))
			return err_set(-EINVAL, "CPU model name \"%.64s\": use lower-case letters, digits, '-', '_', '.'",
				       name);
	nd = model_search_dirs(dirs, 5);
	for (int i = 0; i < nd; i++) {
		snprintf(path, sizeof(path), "%.4000s/%.63s.json", dirs[i], name);
		if (access(path, R_OK))
			continue;
		rc = load_file(path, path, m);
		if (!rc && strcmp(m->name, name))
			return err_set(-EINVAL, "%s: name: \"%s\" does not match the file name", path, m->name);
		return rc;
	}
	{
		char names[MODEL_MAX_BUILTIN][MODEL_NAME_LEN], list[1024] = "";
		int n = model_list(names, MODEL_MAX_BUILTIN);
		size_t off = 0;

		for (int i = 0; i < n && off < sizeof(list) - 1; i++)
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s", i ? ", " : "", names[i]);
		if (!n)
			return err_set(-ENOENT, "unknown CPU model \"%s\" (no model directory found; set SPECVISOR_DATA)",
				       name);
		return err_set(-ENOENT, "unknown CPU model \"%s\" (available: %s)", name, list);
	}
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

int model_list(char names[][MODEL_NAME_LEN], int max)
{
	char dirs[5][4096];
	int nd = model_search_dirs(dirs, 5), n = 0;

	for (int i = 0; i < nd; i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *de;

		if (!d)
			continue;
		while ((de = readdir(d))) {
			size_t l = strlen(de->d_name);
			bool dup = false;

			if (l < 6 || l - 5 >= MODEL_NAME_LEN || strcmp(de->d_name + l - 5, ".json"))
				continue;
			for (int k = 0; k < n; k++)
				if (!strncmp(names[k], de->d_name, l - 5) && names[k][l - 5] == '\0')
					dup = true;
			if (dup || n >= max)
				continue;
			memcpy(names[n], de->d_name, l - 5);
			names[n][l - 5] = '\0';
			n++;
		}
		closedir(d);
	}
	qsort(names, (size_t)n, MODEL_NAME_LEN, cmp_name);
	return n;
}
