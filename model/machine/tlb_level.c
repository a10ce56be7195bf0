/* tlb_level.c - see tlb_level.h. */
#include "tlb_level.h"

#include <stdlib.h>
#include <string.h>

#include "tlb_rng.h"

static int is_pow2(uint32_t v) { return v && (v & (v - 1)) == 0; }

enum tlb_level_check tlb_level_params_check(const struct tlb_level_params *p)
{
    if (p->entries > TLB_LEVEL_MAX_ENTRIES)
        return TLB_LEVEL_BAD_ENTRIES;
    if ((unsigned)p->policy >= TLB_POLICY_COUNT)
        return TLB_LEVEL_BAD_POLICY;
    if (p->ps != 0 && !ia64_page_size_valid(p->ps))
        return TLB_LEVEL_BAD_PS;
    if (p->entries == 0)
        return TLB_LEVEL_OK; /* absent: ways and ps do not matter */
    const uint32_t ways = p->ways ? p->ways : p->entries;
    if (ways > p->entries || p->entries % ways != 0 || !is_pow2(p->entries / ways))
        return TLB_LEVEL_BAD_WAYS;
    if (p->entries / ways > 1 && p->ps == 0)
        return TLB_LEVEL_SETS_NEED_PS;
    return TLB_LEVEL_OK;
}

void mtlb_entry_clear(struct mtlb_entry *e)
{
    e->valid = 0;
    e->rid = MTLB_RID_INVALID;
}

void mtlb_entry_set(struct mtlb_entry *e, uint64_t va, uint64_t rid, unsigned ps, uint64_t pte)
{
    e->mask = ~(ia64_psize(ps) - 1);
    e->va = va & e->mask;
    e->rid = rid;
    e->ps = (uint8_t)ps;
    e->parent_ps = (uint8_t)ps;
    /* the ppn bits below the page size are not part of the translation */
    const uint64_t low_ppn = ps > IA64_ARCH_PAGE_SHIFT ? (ia64_psize(ps) - 1) & IA64_PTE_PPN_MASK : 0;
    e->pte = pte & ~low_ppn;
    e->valid = 1;
}

/* ---- indexes (tlb_level.h) --------------------------------------------------------------- */

/* The bucket of (rid, parent page size q, VPN of q). The 8 VPNs of an aligned group share 8
 * adjacent buckets (one cache line), so a purge probing the small pages of a larger range
 * touches few lines. There are at least 8 buckets. */
static inline uint32_t bucket_of(const struct tlb_level *l, uint64_t vpn, uint64_t rid, unsigned q)
{
    uint64_t x = (vpn >> 3) ^ (rid * UINT64_C(0x9e3779b97f4a7c15)) ^ ((uint64_t)q << 56);
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    return (uint32_t)(x >> l->hash_shift) ^ (uint32_t)(vpn & 7);
}

/* The address bits that key the chains of parent page size q: q itself, except that a level of
 * one page size keys the pieces of a much larger page by runs of 2^KEY_RUN_BITS pieces, so that
 * a chain never holds more than 2^KEY_RUN_BITS pieces of one page (a lookup walks one chain). */
#define KEY_RUN_BITS 3u
static inline unsigned key_shift(const struct tlb_level *l, unsigned q)
{
    return q < l->key_run ? q : l->key_run; /* key_run: l->ps + KEY_RUN_BITS, or 64 (no runs) */
}

/* An entry's chain: its translation's (tlb_level.h) */
static uint32_t entry_hash(const struct tlb_level *l, const struct mtlb_entry *e)
{
    return bucket_of(l, ia64_region_offset(e->va) >> key_shift(l, e->parent_ps), e->rid, e->parent_ps);
}

static uint32_t entry_set(const struct tlb_level *l, const struct mtlb_entry *e)
{
    return (uint32_t)((ia64_region_offset(e->va) >> l->index_shift) & l->set_mask);
}

#define PREV(l, i) ((l)->lru_link[2 * (size_t)(i)])
#define NEXT(l, i) ((l)->lru_link[2 * (size_t)(i) + 1])

static void lru_unlink(struct tlb_level *l, uint32_t set, uint32_t i)
{
    const uint32_t prev = PREV(l, i), next = NEXT(l, i);
    if (prev != TLB_LEVEL_NIL)
        NEXT(l, prev) = next;
    else
        l->lru_head[set] = next;
    if (next != TLB_LEVEL_NIL)
        PREV(l, next) = prev;
    else
        l->lru_tail[set] = prev;
}

static void lru_push_front(struct tlb_level *l, uint32_t set, uint32_t i)
{
    const uint32_t head = l->lru_head[set];
    PREV(l, i) = TLB_LEVEL_NIL;
    NEXT(l, i) = head;
    if (head != TLB_LEVEL_NIL)
        PREV(l, head) = i;
    else
        l->lru_tail[set] = i;
    l->lru_head[set] = i;
}

void tlb_level_lru_promote(struct tlb_level *l, struct mtlb_entry *e)
{
    const uint32_t i = (uint32_t)(e - l->e), set = entry_set(l, e);
    if (l->lru_head[set] == i)
        return;
    lru_unlink(l, set, i);
    lru_push_front(l, set, i);
}

/* Adds the just-set valid entry i to the indexes (the valid bit is set by the caller). */
static void index_add(struct tlb_level *l, uint32_t i)
{
    struct mtlb_entry *e = &l->e[i];
    uint32_t *b = &l->bucket[entry_hash(l, e)];
    e->hnext = *b;
    *b = i;
    if (l->parent_count[e->parent_ps]++ == 0)
        l->parent_present |= UINT64_C(1) << e->parent_ps;
    if (l->lru_head)
        lru_push_front(l, entry_set(l, e), i);
}

/* Removes valid entry i from the page-size counts and the recency list (not from its chain). */
static void index_drop(struct tlb_level *l, uint32_t i)
{
    const struct mtlb_entry *e = &l->e[i];
    if (--l->parent_count[e->parent_ps] == 0)
        l->parent_present &= ~(UINT64_C(1) << e->parent_ps);
    if (l->lru_head)
        lru_unlink(l, entry_set(l, e), i);
}

/* Unlinks valid entry i from its hash chain. */
static void chain_unlink(struct tlb_level *l, uint32_t i)
{
    uint32_t *link = &l->bucket[entry_hash(l, &l->e[i])];
    while (*link != i)
        link = &l->e[*link].hnext;
    *link = l->e[i].hnext;
}

/* Clears valid entry i, already unlinked from its chain. */
static void remove_unlinked(struct tlb_level *l, uint32_t i)
{
    index_drop(l, i);
    l->validmap[i >> 6] &= ~(UINT64_C(1) << (i & 63));
    mtlb_entry_clear(&l->e[i]);
}

/* The lowest invalid entry of [lo, hi), or TLB_LEVEL_NIL. */
static uint32_t first_free(const struct tlb_level *l, uint32_t lo, uint32_t hi)
{
    for (uint32_t w = lo >> 6; (uint64_t)w << 6 < hi; w++) {
        uint64_t free = ~l->validmap[w];
        if (w == lo >> 6)
            free &= ~UINT64_C(0) << (lo & 63);
        if (free) {
            const uint32_t i = (w << 6) + (uint32_t)__builtin_ctzll(free);
            return i < hi ? i : TLB_LEVEL_NIL;
        }
    }
    return TLB_LEVEL_NIL;
}

static void index_reset(struct tlb_level *l)
{
    memset(l->bucket, 0xff, ((size_t)1 << (64 - l->hash_shift)) * sizeof *l->bucket);
    memset(l->validmap, 0, (((size_t)(l->n ? l->n : 1) + 63) / 64) * sizeof *l->validmap);
    if (l->lru_head) {
        memset(l->lru_head, 0xff, l->sets * sizeof *l->lru_head);
        memset(l->lru_tail, 0xff, l->sets * sizeof *l->lru_tail);
    }
    memset(l->parent_count, 0, 64 * sizeof *l->parent_count);
    l->parent_present = 0;
}

struct mtlb_entry *tlb_level_find_indexed(const struct tlb_level *l, uint64_t va, uint64_t rid)
{
    const uint64_t off = ia64_region_offset(va);
    struct mtlb_entry *best = NULL;
    for (uint64_t m = l->parent_present; m; m &= m - 1) {
        const unsigned q = (unsigned)__builtin_ctzll(m);
        for (uint32_t i = l->bucket[bucket_of(l, off >> key_shift(l, q), rid, q)]; i != TLB_LEVEL_NIL;
             i = l->e[i].hnext) {
            struct mtlb_entry *e = &l->e[i];
            if (mtlb_entry_matches(e, va, rid) && (!best || e < best))
                best = e;
        }
    }
    return best;
}

/* ---- the level ---------------------------------------------------------------------------- */

int tlb_level_init(struct tlb_level *l, const struct tlb_level_params *p, uint64_t seed)
{
    memset(l, 0, sizeof *l);
    if (tlb_level_params_check(p) != TLB_LEVEL_OK)
        return -1;
    l->n = p->entries;
    l->ways = p->entries ? (p->ways ? p->ways : p->entries) : 0;
    l->sets = p->entries ? p->entries / l->ways : 1;
    l->set_mask = l->sets - 1;
    l->ps = p->ps;
    l->index_shift = l->sets > 1 ? p->ps : 0;
    l->key_run = (uint8_t)(p->ps ? p->ps + KEY_RUN_BITS : 64);
    l->policy_kind = p->policy;
    l->policy = tlb_policy_get(p->policy);
    l->rng = tlb_rng_state(seed);
    /* an absent level keeps one invalid entry so that the MRU pointer is never NULL */
    const uint32_t slots = l->n ? l->n : 1;
    /* buckets: a power of two, at least 8 and 16 per entry (mostly empty chains: a probe
     * that finds nothing reads no entry), at most 2^22 */
    unsigned bits = 3;
    while (bits < 22 && ((size_t)1 << bits) < 16 * (size_t)slots)
        bits++;
    l->hash_shift = 64 - bits;
    /* entries start on a cache line (aligned_alloc wants a multiple of the alignment) */
    const size_t ebytes = (slots * sizeof *l->e + 63) & ~(size_t)63;
    l->e = aligned_alloc(64, ebytes);
    if (l->e)
        memset(l->e, 0, ebytes);
    l->epoch = calloc(l->sets, sizeof *l->epoch);
    l->bucket = malloc(((size_t)1 << bits) * sizeof *l->bucket);
    l->validmap = malloc(((size_t)slots + 63) / 64 * sizeof *l->validmap);
    l->parent_count = malloc(64 * sizeof *l->parent_count);
    if (l->policy_kind == TLB_POLICY_LRU) {
        l->lru_head = malloc(l->sets * sizeof *l->lru_head);
        l->lru_tail = malloc(l->sets * sizeof *l->lru_tail);
        l->lru_link = malloc(2 * (size_t)slots * sizeof *l->lru_link);
    }
    if (!l->e || !l->epoch || !l->bucket || !l->validmap || !l->parent_count ||
        (l->policy_kind == TLB_POLICY_LRU && (!l->lru_head || !l->lru_tail || !l->lru_link))) {
        tlb_level_free(l);
        return -1;
    }
    for (uint32_t i = 0; i < slots; i++) {
        mtlb_entry_clear(&l->e[i]);
        l->e[i].hnext = TLB_LEVEL_NIL;
    }
    index_reset(l);
    l->mru = &l->e[0];
    return 0;
}

void tlb_level_free(struct tlb_level *l)
{
    free(l->e);
    free(l->epoch);
    free(l->bucket);
    free(l->validmap);
    free(l->lru_head);
    free(l->lru_tail);
    free(l->lru_link);
    free(l->parent_count);
    l->e = NULL;
    l->epoch = NULL;
    l->bucket = NULL;
    l->validmap = NULL;
    l->lru_head = l->lru_tail = l->lru_link = NULL;
    l->parent_count = NULL;
    l->mru = NULL;
}

struct mtlb_entry *tlb_level_fill(struct tlb_level *l, uint64_t va, uint64_t rid, unsigned ps, uint64_t pte,
                                  unsigned parent_ps, struct mtlb_entry *evicted)
{
    if (evicted)
        mtlb_entry_clear(evicted);
    if (l->n == 0)
        return NULL;
    if (l->ps) {
        if (ps < l->ps) {
            l->stats.rejected++;
            return NULL;
        }
        if (ps > l->ps) {
            /* the l->ps-sized piece of the page that contains va: same attributes, ppn of the
             * piece = the page's ppn (low bits cleared) + va's offset in the page, in l->ps units */
            const uint64_t low_ppn = (ia64_psize(ps) - 1) & IA64_PTE_PPN_MASK;
            const uint64_t piece = va & (ia64_psize(ps) - 1) & ~(ia64_psize(l->ps) - 1) & IA64_PTE_PPN_MASK;
            pte = (pte & ~low_ppn) | piece;
            ps = l->ps;
        }
    }
    const uint32_t set = (uint32_t)((ia64_region_offset(va) >> l->index_shift) & l->set_mask);
    const uint32_t first = set * l->ways;
    uint32_t v = TLB_LEVEL_NIL;
    if (l->nvalid < l->n) {
        v = first_free(l, first, first + l->ways);
        if (v != TLB_LEVEL_NIL) {
            l->nvalid++;
            l->validmap[v >> 6] |= UINT64_C(1) << (v & 63);
        }
    }
    if (v == TLB_LEVEL_NIL) {
        v = first + l->policy->victim(l, set, first);
        l->stats.evictions++;
        if (evicted)
            *evicted = l->e[v];
        chain_unlink(l, v);
        index_drop(l, v);
    }
    struct mtlb_entry *victim = &l->e[v];
    mtlb_entry_set(victim, va, rid, ps, pte);
    victim->parent_ps = (uint8_t)(parent_ps > ps ? parent_ps : ps);
    index_add(l, v);
    victim->stamp = ++l->clock;
    l->mru = victim;
    l->stats.inserts++;
    l->fills++;
    return victim;
}

/* What a purge compares with its range: the entry's translation (a piece's whole parent page,
 * ptc.l) or the entry itself (a drop). */
enum purge_extent { PURGE_TRANSLATION, PURGE_ENTRY };

/* [start, end_incl] are region offsets (see mtlb_entry_matches) */
static int overlaps(const struct mtlb_entry *e, uint64_t start, uint64_t end_incl, uint64_t rid,
                    enum purge_extent extent)
{
    const unsigned ps = extent == PURGE_TRANSLATION ? e->parent_ps : e->ps;
    const uint64_t e_last = ia64_psize(ps) - 1;
    const uint64_t e_start = ia64_region_offset(e->va) & ~e_last;
    return e->valid && e->rid == rid && e_start <= end_incl && start <= e_start + e_last;
}

/* A purge probes one hash chain per key its range covers at each present parent page size; past
 * this many probes it scans the valid entries instead. */
static uint64_t probe_limit(const struct tlb_level *l)
{
    return 8 + l->nvalid / 4;
}

/* The chain keys (of parent page size q) of the entries a purge of [start, end_incl] may remove:
 * those of the parent pages overlapping it (PURGE_TRANSLATION), or of the pieces overlapping it
 * (PURGE_ENTRY; they differ only when q's pieces are keyed by runs, key_shift). */
static void key_range(const struct tlb_level *l, unsigned q, uint64_t start, uint64_t end_incl,
                      enum purge_extent extent, uint64_t *first, uint64_t *last)
{
    const unsigned k = key_shift(l, q);
    const uint64_t widen = extent == PURGE_TRANSLATION ? ia64_psize(q) - 1 : 0;
    *first = (start & ~widen) >> k;
    *last = (end_incl | widen) >> k;
}

/* The purge or drop of [va, va + 2^ps); the probes look only for translations of the page sizes
 * in `sizes` (bit Q), the caller knowing that no entry of another is to be removed. */
static uint32_t purge_range(struct tlb_level *l, uint64_t va, unsigned ps, uint64_t rid, enum purge_extent extent,
                            uint64_t sizes)
{
    const uint64_t present = l->parent_present & sizes;
    if (present == 0)
        return 0;
    const uint64_t start = ia64_region_offset(ia64_page_align(va, ps));
    const uint64_t end_incl = start + ia64_psize(ps) - 1;
    const uint64_t limit = probe_limit(l);
    uint64_t probes = 0;
    for (uint64_t m = present; m && probes <= limit; m &= m - 1) {
        uint64_t first, last;
        key_range(l, (unsigned)__builtin_ctzll(m), start, end_incl, extent, &first, &last);
        probes += last - first + 1;
    }
    uint32_t n = 0;
    if (probes <= limit) {
        for (uint64_t m = present; m; m &= m - 1) {
            const unsigned q = (unsigned)__builtin_ctzll(m);
            uint64_t first, last;
            key_range(l, q, start, end_incl, extent, &first, &last);
            for (uint64_t key = first; key <= last; key++) {
                uint32_t *link = &l->bucket[bucket_of(l, key, rid, q)];
                while (*link != TLB_LEVEL_NIL) {
                    const uint32_t i = *link;
                    if (overlaps(&l->e[i], start, end_incl, rid, extent)) {
                        *link = l->e[i].hnext;
                        remove_unlinked(l, i);
                        n++;
                    } else {
                        link = &l->e[i].hnext;
                    }
                }
            }
        }
    } else {
        const uint32_t words = (l->n + 63) / 64;
        for (uint32_t w = 0; w < words; w++) {
            for (uint64_t live = l->validmap[w]; live; live &= live - 1) {
                const uint32_t i = (w << 6) + (uint32_t)__builtin_ctzll(live);
                if (overlaps(&l->e[i], start, end_incl, rid, extent)) {
                    chain_unlink(l, i);
                    remove_unlinked(l, i);
                    n++;
                }
            }
        }
    }
    l->nvalid -= n;
    l->stats.purged += n;
    return n;
}

uint32_t tlb_level_purge(struct tlb_level *l, uint64_t va, unsigned ps, uint64_t rid)
{
    return purge_range(l, va, ps, rid, PURGE_TRANSLATION, ~UINT64_C(0));
}

uint32_t tlb_level_purge_sizes(struct tlb_level *l, uint64_t va, unsigned ps, uint64_t rid, uint64_t sizes)
{
    return purge_range(l, va, ps, rid, PURGE_TRANSLATION, sizes);
}

uint32_t tlb_level_drop(struct tlb_level *l, uint64_t va, unsigned ps, uint64_t rid)
{
    return purge_range(l, va, ps, rid, PURGE_ENTRY, ~UINT64_C(0));
}

uint32_t tlb_level_purge_all(struct tlb_level *l)
{
    const uint32_t n = l->nvalid;
    if (n) {
        const uint32_t words = (l->n + 63) / 64;
        for (uint32_t w = 0; w < words; w++)
            for (uint64_t live = l->validmap[w]; live; live &= live - 1)
                mtlb_entry_clear(&l->e[(w << 6) + (uint32_t)__builtin_ctzll(live)]);
        index_reset(l);
    }
    l->nvalid = 0;
    l->stats.purged += n;
    return n;
}
