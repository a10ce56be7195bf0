/* state_dump.c - see state_dump.h; the format is a contract, change it only with the spec. */
#include "state_dump.h"

#include <inttypes.h>
#include <stdlib.h>

static void dump_table(FILE *out, const char *name, const struct thash_table *t, int with_word3)
{
    for (uint32_t i = 0; i < t->num; i++) {
        const struct ia64_lvhpt_entry *e = &t->hash[i];
        if (!ia64_entry_tag_valid(e))
            continue;
        fprintf(out, "%s %" PRIu32 " page_flags=0x%" PRIx64 " itir=0x%" PRIx64 " etag=0x%" PRIx64, name, i,
                e->page_flags, e->itir, e->etag);
        if (with_word3)
            fprintf(out, " gpaddr=0x%" PRIx64, e->word3);
        fputc('\n', out);
    }
}

static void dump_trs(FILE *out, const char *name, const struct ia64_lvhpt_entry *trs, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        const struct ia64_lvhpt_entry *e = &trs[i];
        if (!ia64_pte_p(e->page_flags))
            continue;
        fprintf(out, "%s %u page_flags=0x%" PRIx64 " itir=0x%" PRIx64 " vadr=0x%" PRIx64 " rid=0x%" PRIx64 "\n", name,
                i, e->page_flags, e->itir, e->etag, e->word3);
    }
}

static int entry_cmp(const void *a, const void *b)
{
    const struct mtlb_entry *x = *(const struct mtlb_entry *const *)a;
    const struct mtlb_entry *y = *(const struct mtlb_entry *const *)b;
    if (x->va != y->va)
        return x->va < y->va ? -1 : 1;
    if (x->rid != y->rid)
        return x->rid < y->rid ? -1 : 1;
    return (int)x->ps - (int)y->ps;
}

/* The L2 level's valid TCs (not the L1 copies or fragments, not the TRs). */
static int dump_mtlb(FILE *out, char side, const struct mtlb *t)
{
    const struct tlb_level *l2 = &t->l2;
    const struct mtlb_entry **sorted = malloc(((size_t)l2->n + 1) * sizeof *sorted);
    if (!sorted)
        return -1;
    size_t n = 0;
    for (uint32_t i = 0; i < l2->n; i++)
        if (l2->e[i].valid)
            sorted[n++] = &l2->e[i];
    qsort(sorted, n, sizeof *sorted, entry_cmp);
    for (size_t i = 0; i < n; i++) {
        const struct mtlb_entry *e = sorted[i];
        fprintf(out, "mtlb %c va=0x%" PRIx64 " rid=0x%" PRIx64 " ps=%u ppn=0x%" PRIx64 "\n", side, e->va, e->rid,
                (unsigned)e->ps, ia64_pte_ppn(e->pte));
    }
    free(sorted);
    return 0;
}

int platform_dump_state(const struct platform *p, FILE *out)
{
    for (unsigned c = 0; c < p->nr_vcpus; c++) {
        const struct vmm_vcpu *v = &p->cpu[c].vmm;
        fprintf(out, "cpu %u\n", c);
        dump_table(out, "vtlb", &v->vtlb, 0);
        dump_table(out, "vhpt", &v->vhpt, 1);
        for (unsigned r = 0; r < 8; r++)
            if (v->psbits[r])
                fprintf(out, "psbits %u 0x%" PRIx64 "\n", r, v->psbits[r]);
        fprintf(out, "tc_regions 0x%x\n", (unsigned)v->tc_regions);
        dump_trs(out, "dtr", v->dtrs, VMM_NDTRS);
        dump_trs(out, "itr", v->itrs, VMM_NITRS);
        if (dump_mtlb(out, 'i', &p->cpu[c].mach.itlb) != 0 || dump_mtlb(out, 'd', &p->cpu[c].mach.dtlb) != 0)
            return -1;
    }
    return ferror(out) ? -1 : 0;
}
