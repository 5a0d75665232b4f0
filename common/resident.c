#include "resident.h"

#include <link.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct release_ctx {
	uintptr_t page;
	size_t advised;
};

static int release_object(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct release_ctx *ctx = arg;
	(void)size;
	/* the vDSO is the kernel's, a special mapping: not ours to advise */
	if (info->dlpi_name != NULL && strncmp(info->dlpi_name, "linux-vdso", 10) == 0)
		return 0;
	for (size_t i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		/* only what was never written: a writable segment holds data,
		 * and its RELRO part relocations the loader wrote (dropping them
		 * would fault back the file's unrelocated bytes) */
		if (ph->p_type != PT_LOAD || (ph->p_flags & PF_W) || ph->p_memsz == 0)
			continue;
		uintptr_t start = info->dlpi_addr + ph->p_vaddr;
		uintptr_t end = start + ph->p_memsz;
		/* whole pages inside the segment only */
		start = (start + ctx->page - 1) & ~(ctx->page - 1);
		end &= ~(ctx->page - 1);
		if (end <= start)
			continue;
		if (madvise((void *)start, end - start, MADV_DONTNEED) == 0)
			ctx->advised += end - start;
	}
	return 0;
}

size_t resident_release_code(void)
{
	long page = sysconf(_SC_PAGESIZE);
	struct release_ctx ctx = { .page = page > 0 ? (uintptr_t)page : 4096, .advised = 0 };
	dl_iterate_phdr(release_object, &ctx);
	return ctx.advised;
}
