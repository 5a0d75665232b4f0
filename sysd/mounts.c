#include "mounts.h"

#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>

#include "log.h"
#include "scan.h"
#include "text.h"

/* Network file systems: never statfs'd even if a kernel listed one as
 * device-backed. */
static const char *const network_types[] = {
	"nfs", "nfs4", "cifs", "smb3", "smbfs", "ceph", "glusterfs", "9p", "afs",
	"ncpfs", "lustre", "gfs2", "ocfs2", "fuse.sshfs", NULL,
};

int mounts_parse_filesystems(const uint8_t *buf, size_t len, struct fstypes *out)
{
	struct cursor c, line;
	out->n = 0;
	cur_init(&c, buf, len);
	while (scan_line(&c, &line)) {
		const uint8_t *w;
		size_t n;
		if (line.left > 0 && line.p[0] != ' ' && line.p[0] != '\t')
			continue;   /* "nodev\tproc": no device, not a disk */
		if (!scan_word(&line, &w, &n) || n == 0 || n >= sizeof(out->name[0]))
			continue;
		if (out->n == FSTYPES_MAX) {
			log_warnx("filesystems: more than %d device types, the rest ignored", FSTYPES_MAX);
			break;
		}
		memcpy(out->name[out->n], w, n);
		out->name[out->n][n] = '\0';
		out->n++;
	}
	if (out->n == 0) {
		log_warnx("filesystems: no device-backed file system type");
		return -1;
	}
	return 0;
}

static bool is_real_type(const char *t, const struct fstypes *types)
{
	for (size_t i = 0; network_types[i]; i++)
		if (strcmp(t, network_types[i]) == 0)
			return false;
	for (size_t i = 0; i < types->n; i++)
		if (strcmp(t, types->name[i]) == 0)
			return true;
	return false;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static bool unescape(const uint8_t *w, size_t n, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t b = w[i];
		if (b == '\\' && n - i >= 4 && w[i + 1] >= '0' && w[i + 1] <= '3' &&
		    w[i + 2] >= '0' && w[i + 2] <= '7' && w[i + 3] >= '0' && w[i + 3] <= '7') {
			b = (uint8_t)((w[i + 1] - '0') << 6 | (w[i + 2] - '0') << 3 | (w[i + 3] - '0'));
			i += 3;
		}
		if (o + 1 >= cap)
			return false;
		out[o++] = (char)b;
	}
	out[o] = '\0';
	return true;
}

static bool word_to(struct cursor *l, char *out, size_t cap, bool esc)
{
	const uint8_t *w;
	size_t n;
	if (!scan_word(l, &w, &n) || n == 0)
		return false;
	if (esc)
		return unescape(w, n, out, cap);
	if (n >= cap)
		return false;
	memcpy(out, w, n);
	out[n] = '\0';
	return true;
}

/* "MAJ:MIN" */
static bool parse_devno(struct cursor *l, unsigned *maj, unsigned *min)
{
	uint64_t a, b;
	if (!scan_u64(l, &a) || !scan_lit(l, ":") || !scan_u64(l, &b) ||
	    a > 0xfffff || b > 0xfffff)
		return false;
	*maj = (unsigned)a;
	*min = (unsigned)b;
	return true;
}

static void log_line(const char *why, const struct cursor *line)
{
	log_warnx("mountinfo: %s, line left out: '%.*s'", why,
		  (int)(line->left > 60 ? 60 : line->left), line->p);
}

int mounts_parse_mountinfo(const uint8_t *buf, size_t len, const struct fstypes *types,
			   struct mount_list *out)
{
	struct cursor c, line;
	/* a device's root mount beats its bind mounts; remember which entry
	 * came from one */
	bool is_root[MOUNT_MAX] = { false };

	out->n = 0;
	cur_init(&c, buf, len);
	while (scan_line(&c, &line)) {
		struct cursor l = line;
		uint64_t id, parent;
		struct mount_entry e;
		char root[MOUNT_PATH_MAX];
		memset(&e, 0, sizeof(e));

		if (!scan_u64(&l, &id) || !scan_u64(&l, &parent) || !scan_blank(&l) ||
		    !parse_devno(&l, &e.major, &e.minor) ||
		    !word_to(&l, root, sizeof(root), true) ||
		    !word_to(&l, e.path, sizeof(e.path), true)) {
			log_line("malformed", &line);
			continue;
		}
		/* mount options, optional fields, then "-" */
		const uint8_t *w;
		size_t n;
		bool sep = false;
		while (scan_word(&l, &w, &n))
			if (n == 1 && w[0] == '-') {
				sep = true;
				break;
			}
		if (!sep || !word_to(&l, e.fstype, sizeof(e.fstype), false)) {
			log_line("no file system type", &line);
			continue;
		}
		if (!word_to(&l, e.device, sizeof(e.device), true) ||
		    !text_clean((const uint8_t *)e.device, strlen(e.device)))
			e.device[0] = '\0';
		if (!is_real_type(e.fstype, types))
			continue;
		if (!text_clean((const uint8_t *)e.path, strlen(e.path))) {
			log_warnx("mountinfo: a %s mount point is not valid UTF-8, left out", e.fstype);
			continue;
		}
		bool this_root = strcmp(root, "/") == 0;
		size_t i;
		/* a later mount on the same path hides the earlier one */
		for (i = 0; i < out->n; i++)
			if (strcmp(out->m[i].path, e.path) == 0)
				break;
		if (i < out->n) {
			memmove(&out->m[i], &out->m[i + 1], (out->n - i - 1) * sizeof(out->m[0]));
			memmove(&is_root[i], &is_root[i + 1], (out->n - i - 1) * sizeof(is_root[0]));
			out->n--;
		}
		for (i = 0; i < out->n; i++)
			if (out->m[i].major == e.major && out->m[i].minor == e.minor)
				break;
		if (i < out->n) {
			if (this_root && !is_root[i]) {
				out->m[i] = e;
				is_root[i] = true;
			}
			continue;
		}
		if (out->n == MOUNT_MAX) {
			log_warnx("mountinfo: more than %d local file systems, the rest left out", MOUNT_MAX);
			break;
		}
		out->m[out->n] = e;
		is_root[out->n] = this_root;
		out->n++;
	}
	return 0;
}

void mounts_usage(const struct statvfs *sv, struct fs_usage *u)
{
	uint64_t f = sv->f_frsize ? sv->f_frsize : sv->f_bsize;
	uint64_t blocks = sv->f_blocks, bfree = sv->f_bfree, bavail = sv->f_bavail;
	if (bfree > blocks)
		bfree = blocks;
	u->total = blocks * f;
	u->used = (blocks - bfree) * f;
	u->free = bavail * f;
	u->percent = u->used + u->free > 0 ?
		(double)u->used * 100.0 / (double)(u->used + u->free) : 0.0;
	u->inodes_total = sv->f_files;
	u->inodes_free = sv->f_ffree <= sv->f_files ? sv->f_ffree : sv->f_files;
	u->inodes_used = u->inodes_total - u->inodes_free;
}
