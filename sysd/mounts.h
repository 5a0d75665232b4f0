/*
 * Disks: which mounts are "real local filesystems", and their usage.
 *
 * The rule (docs/sysd.md):
 *  1. the filesystem type is listed in PROC/filesystems without "nodev" (it
 *     needs a block device: ext4, xfs, btrfs, vfat, ...), as psutil's
 *     disk_partitions(all=False); network and pseudo filesystems (nfs, cifs,
 *     tmpfs, proc, cgroup, overlay, fuse.*) are all "nodev" and left out, and
 *     a short list of network types is refused even if a kernel lists them
 *     otherwise;
 *  2. one entry per device (major:minor): bind mounts and subvolume mounts of
 *     a device already listed are duplicates; the mount of the device's root
 *     ("/" in mountinfo's root field) is kept, else the first one listed;
 *  3. a mount point hidden by a later mount on the same path is left out.
 * statvfs is only ever called on mounts that pass this rule, so a hung NFS
 * server cannot stall a sample. Usage is computed as df(1) does it.
 */
#ifndef NETMON_SYSD_MOUNTS_H
#define NETMON_SYSD_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MOUNT_MAX 128
#define MOUNT_PATH_MAX 1024
#define FSTYPES_MAX 64

struct fstypes {
	char name[FSTYPES_MAX][32];
	size_t n;
};

struct mount_entry {
	char path[MOUNT_PATH_MAX];   /* unescaped, valid UTF-8 */
	char fstype[32];
	char device[128];            /* mount source, "" when not valid UTF-8 */
	unsigned major, minor;
};

struct mount_list {
	struct mount_entry m[MOUNT_MAX];
	size_t n;
};

/* PROC/filesystems: the types that need a device. */
int mounts_parse_filesystems(const uint8_t *buf, size_t len, struct fstypes *out);
/* PROC/self/mountinfo, filtered by the rule above. Malformed lines and mount
 * points that are not valid UTF-8 are left out and logged. */
int mounts_parse_mountinfo(const uint8_t *buf, size_t len, const struct fstypes *types,
			   struct mount_list *out);

/* statvfs fields, as df uses them. */
struct fs_usage {
	uint64_t total, used, free;      /* bytes: f_blocks, f_blocks - f_bfree, f_bavail (x f_frsize) */
	double percent;                  /* used / (used + free) * 100, unrounded (df rounds up) */
	uint64_t inodes_total, inodes_used, inodes_free;
};
struct statvfs;
void mounts_usage(const struct statvfs *sv, struct fs_usage *u);

#endif
