/* run_config.c - the experiment-file schema (docs/config.md) over struct run_config. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "run_config.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../model/ia64/ia64_arch.h"
#include "param_set.h"
#include "yaml_schema.h"

#define OFF(member) offsetof(struct run_config, member)

/* ---- enum adapters (the generic schema stores enums as int) ------------------------------------ */

static int purge_parse(const char *s, int *v)
{
    static const char *const names[] = {"ptc_l", "ptc_ga", "ptc_e"};
    for (int i = 0; i < 3; i++)
        if (strcmp(s, names[i]) == 0)
            return *v = i, 0;
    return -1;
}
static const char *purge_name(int v)
{
    static const char *const names[] = {"ptc_l", "ptc_ga", "ptc_e"};
    return v >= 0 && v < 3 ? names[v] : "?";
}
static int hash_parse(const char *s, int *v)
{
    enum ia64_lvhpt_hash_kind k;
    if (ia64_lvhpt_hash_parse(s, &k) != 0)
        return -1;
    return *v = (int)k, 0;
}
static const char *hash_name(int v) { return ia64_lvhpt_hash_name((enum ia64_lvhpt_hash_kind)v); }
static int wl_kind_parse(const char *s, int *v)
{
    enum workload_kind k;
    if (workload_kind_parse(s, &k) != 0)
        return -1;
    return *v = (int)k, 0;
}
static const char *wl_kind_name(int v) { return workload_kind_name((enum workload_kind)v); }
static int wl_mode_parse(const char *s, int *v)
{
    enum workload_vcpu_mode m;
    if (workload_vcpu_mode_parse(s, &m) != 0)
        return -1;
    return *v = (int)m, 0;
}
static const char *wl_mode_name(int v) { return workload_vcpu_mode_name((enum workload_vcpu_mode)v); }

/* ---- custom fields -------------------------------------------------------------------------- */

/* machine.{itlb,dtlb}.{l1,l2}: {entries, ways, policy, page_size} into a tlb_level_params */
static int tlb_level_parse(const struct schema_ctx *ctx, yaml_node_t *node, void *base, const struct field *f)
{
    struct tlb_level_params *lp = (struct tlb_level_params *)((char *)base + f->offset);
    if (node->type != YAML_MAPPING_NODE)
        return schema_error(ctx, node, "'%s' must be a mapping of entries, ways, policy, page_size", f->key);
    for (yaml_node_pair_t *pr = node->data.mapping.pairs.start; pr < node->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = yaml_document_get_node(ctx->doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(ctx->doc, pr->value);
        const char *key = k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "";
        uint64_t n;
        if (strcmp(key, "entries") == 0 || strcmp(key, "ways") == 0) {
            if (schema_scalar_u64(ctx, v, 0, &n) != 0)
                return -1;
            if (n > TLB_LEVEL_MAX_ENTRIES)
                return schema_error(ctx, v, "'%s' must be at most %u", key, TLB_LEVEL_MAX_ENTRIES);
            if (key[0] == 'e')
                lp->entries = (uint32_t)n;
            else
                lp->ways = (uint32_t)n;
        } else if (strcmp(key, "policy") == 0) {
            enum tlb_policy_kind pk;
            if (v->type != YAML_SCALAR_NODE || tlb_policy_parse((const char *)v->data.scalar.value, &pk) != 0)
                return schema_error(ctx, v, "unknown policy (known: lru, nru, random)");
            lp->policy = pk;
        } else if (strcmp(key, "page_size") == 0) {
            if (v->type == YAML_SCALAR_NODE && strcmp((const char *)v->data.scalar.value, "any") == 0) {
                lp->ps = 0;
                continue;
            }
            if (schema_scalar_u64(ctx, v, 1, &n) != 0)
                return -1;
            if (n == 0 || (n & (n - 1)) || !ia64_page_size_valid((unsigned)__builtin_ctzll(n)))
                return schema_error(ctx, v, "page_size must be an IA-64 page size (4K .. 4G) or 'any'");
            lp->ps = (uint8_t)__builtin_ctzll(n);
        } else {
            return schema_error(ctx, k, "unknown key '%s' (known here: entries, ways, policy, page_size)", key);
        }
    }
    if (tlb_level_params_check(lp) != TLB_LEVEL_OK)
        return schema_error_in(ctx, node, "impossible TLB level: ways must divide entries into a power-of-two number of "
                                       "sets, and a set-associative level must hold one page_size");
    return 0;
}

static int tlb_level_emit(yaml_emitter_t *em, const void *base, const struct field *f)
{
    const struct tlb_level_params *lp = (const struct tlb_level_params *)((const char *)base + f->offset);
    yaml_event_t ev;
    if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_FLOW_MAPPING_STYLE) || !yaml_emitter_emit(em, &ev))
        return -1;
    if (schema_emit_scalar(em, "entries") || schema_emit_u64(em, lp->entries, 0) || schema_emit_scalar(em, "ways") ||
        schema_emit_u64(em, lp->ways, 0) || schema_emit_scalar(em, "policy") ||
        schema_emit_scalar(em, tlb_policy_name(lp->policy)) || schema_emit_scalar(em, "page_size"))
        return -1;
    if (lp->ps == 0 ? schema_emit_scalar(em, "any") : schema_emit_u64(em, UINT64_C(1) << lp->ps, 1))
        return -1;
    if (!yaml_mapping_end_event_initialize(&ev) || !yaml_emitter_emit(em, &ev))
        return -1;
    return 0;
}

/* a fixed-length sequence of numbers (ptce_count: 2 x uint32; walker hit: 3 x double) */
static int seq_parse(const struct schema_ctx *ctx, yaml_node_t *node, unsigned n, int is_double, void *dst,
                     const char *key)
{
    if (node->type != YAML_SEQUENCE_NODE || node->data.sequence.items.top - node->data.sequence.items.start != (long)n)
        return schema_error(ctx, node, "'%s' must be a list of %u numbers", key, n);
    for (unsigned i = 0; i < n; i++) {
        yaml_node_t *item = yaml_document_get_node(ctx->doc, node->data.sequence.items.start[i]);
        if (is_double) {
            if (schema_scalar_double(ctx, item, &((double *)dst)[i]) != 0)
                return -1;
        } else {
            uint64_t v;
            if (schema_scalar_u64(ctx, item, 0, &v) != 0)
                return -1;
            if (v < 1 || v > VMM_PTCE_STEPS_MAX)
                return schema_error(ctx, item, "'%s' counts must be from 1 to %u", key, VMM_PTCE_STEPS_MAX);
            ((uint32_t *)dst)[i] = (uint32_t)v;
        }
    }
    return 0;
}

static int seq_emit(yaml_emitter_t *em, unsigned n, int is_double, const void *src)
{
    yaml_event_t ev;
    if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_FLOW_SEQUENCE_STYLE) || !yaml_emitter_emit(em, &ev))
        return -1;
    for (unsigned i = 0; i < n; i++)
        if (is_double ? schema_emit_double(em, ((const double *)src)[i]) : schema_emit_u64(em, ((const uint32_t *)src)[i], 0))
            return -1;
    if (!yaml_sequence_end_event_initialize(&ev) || !yaml_emitter_emit(em, &ev))
        return -1;
    return 0;
}

static int ptce_parse(const struct schema_ctx *ctx, yaml_node_t *node, void *base, const struct field *f)
{
    uint32_t *count = (uint32_t *)((char *)base + f->offset);
    if (seq_parse(ctx, node, 2, 0, count, f->key) != 0)
        return -1;
    if ((uint64_t)count[0] * count[1] > VMM_PTCE_STEPS_MAX)
        return schema_error_in(ctx, node, "'%s' %u x %u is %llu ptc.e steps per flush; at most %u (vmm_vcpu.h says why)",
                            f->key, count[0], count[1], (unsigned long long)count[0] * count[1], VMM_PTCE_STEPS_MAX);
    return 0;
}
static int ptce_emit(yaml_emitter_t *em, const void *base, const struct field *f)
{
    return seq_emit(em, 2, 0, (const char *)base + f->offset);
}

static int walker_hit_parse(const struct schema_ctx *ctx, yaml_node_t *node, void *base, const struct field *f)
{
    double *hit = (double *)((char *)base + f->offset);
    if (seq_parse(ctx, node, 3, 1, hit, f->key) != 0)
        return -1;
    if (hit[0] < 0 || hit[1] < 0 || hit[2] < 0 || hit[0] + hit[1] + hit[2] > 1.0 + 1e-12)
        return schema_error_in(ctx, node, "'%s' holds the L1, L2, L3 probabilities: each >= 0, sum <= 1", f->key);
    return 0;
}
static int walker_hit_emit(yaml_emitter_t *em, const void *base, const struct field *f)
{
    return seq_emit(em, 3, 1, (const char *)base + f->offset);
}

/* guest.region_page_size: {region: page size | none} */
static int region_ps_parse(const struct schema_ctx *ctx, yaml_node_t *node, void *base, const struct field *f)
{
    unsigned *ps = (unsigned *)((char *)base + f->offset);
    if (node->type != YAML_MAPPING_NODE)
        return schema_error(ctx, node, "'%s' must map regions 0..7 to page sizes", f->key);
    for (yaml_node_pair_t *pr = node->data.mapping.pairs.start; pr < node->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = yaml_document_get_node(ctx->doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(ctx->doc, pr->value);
        uint64_t region, bytes;
        if (schema_scalar_u64(ctx, k, 0, &region) != 0)
            return -1;
        if (region > 7)
            return schema_error(ctx, k, "region %llu is not 0..7", (unsigned long long)region);
        ((struct run_config *)base)->guest_region_ps_given |= 1u << region;
        if (v->type == YAML_SCALAR_NODE && strcmp((const char *)v->data.scalar.value, "none") == 0) {
            ps[region] = 0;
            continue;
        }
        if (schema_scalar_u64(ctx, v, 1, &bytes) != 0)
            return -1;
        if (bytes == 0 || (bytes & (bytes - 1)) || !ia64_page_size_valid((unsigned)__builtin_ctzll(bytes)))
            return schema_error(ctx, v, "%llu bytes is not an IA-64 page size (4K .. 4G), or 'none'", (unsigned long long)bytes);
        ps[region] = (unsigned)__builtin_ctzll(bytes);
    }
    return 0;
}
static int region_ps_emit(yaml_emitter_t *em, const void *base, const struct field *f)
{
    const unsigned *ps = (const unsigned *)((const char *)base + f->offset);
    yaml_event_t ev;
    if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_FLOW_MAPPING_STYLE) || !yaml_emitter_emit(em, &ev))
        return -1;
    for (unsigned r = 0; r < 8; r++) {
        char key[4];
        snprintf(key, sizeof key, "%u", r);
        if (schema_emit_scalar(em, key) || (ps[r] ? schema_emit_u64(em, UINT64_C(1) << ps[r], 1) : schema_emit_scalar(em, "none")))
            return -1;
    }
    if (!yaml_mapping_end_event_initialize(&ev) || !yaml_emitter_emit(em, &ev))
        return -1;
    return 0;
}

/* costs: {row: cycles} over the cost table */
static int costs_parse(const struct schema_ctx *ctx, yaml_node_t *node, void *base, const struct field *f)
{
    struct cost_table *t = (struct cost_table *)((char *)base + f->offset);
    if (node->type != YAML_MAPPING_NODE)
        return schema_error(ctx, node, "'costs' must map cost rows to cycles");
    for (yaml_node_pair_t *pr = node->data.mapping.pairs.start; pr < node->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = yaml_document_get_node(ctx->doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(ctx->doc, pr->value);
        enum cost_row row;
        if (k->type != YAML_SCALAR_NODE || cost_row_parse((const char *)k->data.scalar.value, &row) != 0)
            return schema_error(ctx, k, "unknown cost row '%s' (docs/costs.md lists them)",
                                k->type == YAML_SCALAR_NODE ? (const char *)k->data.scalar.value : "?");
        uint64_t cycles;
        if (schema_scalar_u64(ctx, v, 0, &cycles) != 0)
            return -1;
        if (cycles > 100000000)
            return schema_error(ctx, v, "a cost above 10^8 cycles is not plausible");
        t->cycles[row] = cycles;
    }
    return 0;
}
static int costs_emit(yaml_emitter_t *em, const void *base, const struct field *f)
{
    const struct cost_table *t = (const struct cost_table *)((const char *)base + f->offset);
    yaml_event_t ev;
    if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE) || !yaml_emitter_emit(em, &ev))
        return -1;
    for (unsigned r = 0; r < COST_ROW_COUNT; r++)
        if (schema_emit_scalar(em, cost_row_name((enum cost_row)r)) || schema_emit_u64(em, t->cycles[r], 0))
            return -1;
    if (!yaml_mapping_end_event_initialize(&ev) || !yaml_emitter_emit(em, &ev))
        return -1;
    return 0;
}

/* ---- the schema ------------------------------------------------------------------------------ */

#define U64(k, m, lo, hi) {.key = k, .kind = FIELD_U64, .offset = OFF(m), .min = lo, .max = hi}
#define BYTES(k, m, lo, hi) {.key = k, .kind = FIELD_U64, .offset = OFF(m), .min = lo, .max = hi, .bytes = 1}
#define UINT(k, m, lo, hi) {.key = k, .kind = FIELD_UINT, .offset = OFF(m), .min = lo, .max = hi}
#define U32(k, m, lo, hi) {.key = k, .kind = FIELD_U32, .offset = OFF(m), .min = lo, .max = hi}
#define DBL(k, m, lo, hi) {.key = k, .kind = FIELD_DOUBLE, .offset = OFF(m), .dmin = lo, .dmax = hi}
#define BOOL(k, m) {.key = k, .kind = FIELD_BOOL, .offset = OFF(m)}
#define ENUM(k, m, p, n) {.key = k, .kind = FIELD_ENUM, .offset = OFF(m), .enum_parse = p, .enum_name = n}
#define CUSTOM(k, m, p, e) {.key = k, .kind = FIELD_CUSTOM, .offset = OFF(m), .parse = p, .emit = e}
#define SECTION(k, s) {.key = k, .kind = FIELD_SECTION, .offset = 0, .sub = s}
#define END {.key = NULL}

static const struct field run_fields[] = {
    U64("length", length, 0, UINT64_MAX),
    U64("warmup", warmup, 0, UINT64_MAX),
    U64("interval", interval, 0, UINT64_MAX),
    U64("quantum", quantum, 1, UINT64_C(1) << 40),
    END,
};

static const struct field tlb_side_fields_i[] = {
    CUSTOM("l1", platform.machine.itlb.l1, tlb_level_parse, tlb_level_emit),
    CUSTOM("l2", platform.machine.itlb.l2, tlb_level_parse, tlb_level_emit),
    UINT("trs", platform.machine.itlb.ntr, 0, MTLB_MAX_TRS),
    END,
};
static const struct field tlb_side_fields_d[] = {
    CUSTOM("l1", platform.machine.dtlb.l1, tlb_level_parse, tlb_level_emit),
    CUSTOM("l2", platform.machine.dtlb.l2, tlb_level_parse, tlb_level_emit),
    UINT("trs", platform.machine.dtlb.ntr, 0, MTLB_MAX_TRS),
    END,
};

static const struct field machine_fields[] = {
    U64("clock_mhz", clock_mhz, 1, 100000),
    ENUM("walker_hash", platform.machine.hash, hash_parse, hash_name),
    CUSTOM("walker_hit", platform.machine.walker.hit, walker_hit_parse, walker_hit_emit),
    SECTION("itlb", tlb_side_fields_i),
    SECTION("dtlb", tlb_side_fields_d),
    END,
};

static const struct field vmm_fields[] = {
    {.key = "page_size", .kind = FIELD_PAGE_SHIFT, .offset = OFF(platform.vmm.page_shift)},
    {.key = "vtlb_size", .kind = FIELD_SIZE_SHIFT, .offset = OFF(platform.vmm.vtlb_shift), .min = VMM_MIN_TABLE_SHIFT, .max = VMM_MAX_TABLE_SHIFT},
    {.key = "vhpt_size", .kind = FIELD_SIZE_SHIFT, .offset = OFF(platform.vmm.vhpt_shift), .min = VMM_MIN_TABLE_SHIFT, .max = VMM_MAX_TABLE_SHIFT},
    CUSTOM("ptce_count", platform.vmm.ptce_count, ptce_parse, ptce_emit),
    {.key = "p2m_offset", .kind = FIELD_U64, .offset = OFF(platform.vmm.p2m_mem_offset), .min = 0, .max = UINT64_C(1) << 50, .hex = 1},
    BYTES("guest_mem", platform.vmm.guest_mem_bytes, UINT64_C(1) << 20, UINT64_C(1) << 44),
    END,
};

static const struct field guest_fields[] = {
    BOOL("enabled", guest_enabled),
    BOOL("vhpt", guest.vhpt_enabled),
    {.key = "vhpt_size", .kind = FIELD_SIZE_SHIFT, .offset = OFF(guest.vhpt_size), .min = 15, .max = 61},
    {.key = "vhpt_base", .kind = FIELD_U64, .offset = OFF(guest.vhpt_base), .min = 0, .max = UINT64_C(1) << 61, .hex = 1},
    UINT("rid_bits", guest.rid_bits, 4, 24),
    BYTES("memory", guest.guest_mem, UINT64_C(1) << 20, UINT64_C(1) << 44),
    ENUM("purge", guest.purge, purge_parse, purge_name),
    UINT("identity_region", guest.identity_region, 0, 8),
    CUSTOM("region_page_size", guest.region_ps, region_ps_parse, region_ps_emit),
    END,
};

static const struct field workload_fields[] = {
    ENUM("kind", workload.kind, wl_kind_parse, wl_kind_name),
    {.key = "base", .kind = FIELD_U64, .offset = OFF(workload.base), .min = 0, .max = UINT64_MAX, .hex = 1},
    BYTES("footprint", workload.footprint, 1, UINT64_C(1) << 50),
    UINT("access_size", workload.access_size, 1, 16),
    BYTES("stride", workload.stride, 0, UINT64_C(1) << 40),
    DBL("write_fraction", workload.write_fraction, 0.0, 1.0),
    DBL("zipf_alpha", workload.zipf_alpha, 1e-9, 100.0),
    BYTES("zipf_item", workload.zipf_item, 1, UINT64_C(1) << 40),
    BOOL("zipf_scatter", workload.zipf_scatter),
    BOOL("ptrchase_build", workload.ptrchase_build),
    ENUM("inner", workload.inner, wl_kind_parse, wl_kind_name),
    UINT("processes", workload.nr_procs, 1, 1u << 20),
    U64("switch_interval", workload.switch_interval, 1, UINT64_MAX),
    BOOL("exit_at_end", workload.exit_at_end),
    BYTES("mmap_chunk", workload.mmap_chunk, 4096, UINT64_C(1) << 40),
    UINT("mmap_live", workload.mmap_live, 1, 1u << 20),
    U64("munmap_interval", workload.munmap_interval, 1, UINT64_MAX),
    {.key = "huge_page_size", .kind = FIELD_PAGE_SHIFT, .offset = OFF(workload.huge_ps)},
    DBL("ifetch_fraction", workload.ifetch_fraction, 0.0, 1.0),
    {.key = "code_base", .kind = FIELD_U64, .offset = OFF(workload.code_base), .min = 0, .max = UINT64_MAX, .hex = 1},
    BYTES("code_footprint", workload.code_footprint, 16, UINT64_C(1) << 40),
    UINT("insns_per_ifetch", workload.insns_per_ifetch, 0, WL_MAX_INSNS_PER_IFETCH),
    ENUM("vcpu_mode", workload.vcpu_mode, wl_mode_parse, wl_mode_name),
    END,
};

static const struct field trace_fields[] = {
    {.key = "path", .kind = FIELD_STRING, .offset = OFF(trace_path), .max_len = RUN_PATH_MAX, .allow_empty = 1},
    BOOL("per_instruction", ski_per_instruction),
    END,
};

static int source_parse(const char *s, int *v)
{
    if (strcmp(s, "generator") == 0)
        return *v = SOURCE_GENERATOR, 0;
    if (strcmp(s, "vtrace") == 0)
        return *v = SOURCE_VTRACE, 0;
    if (strcmp(s, "ski") == 0)
        return *v = SOURCE_SKI, 0;
    return -1;
}
static const char *source_name(int v) { return v == SOURCE_VTRACE ? "vtrace" : v == SOURCE_SKI ? "ski" : "generator"; }

static const struct field top_fields[] = {
    {.key = "name", .kind = FIELD_STRING, .offset = OFF(name), .max_len = RUN_NAME_MAX},
    U64("seed", seed, 0, UINT64_MAX),
    UINT("vcpus", vcpus, 1, 64),
    ENUM("source", source, source_parse, source_name),
    SECTION("run", run_fields),
    SECTION("machine", machine_fields),
    SECTION("vmm", vmm_fields),
    SECTION("guest", guest_fields),
    CUSTOM("costs", costs, costs_parse, costs_emit),
    SECTION("workload", workload_fields),
    SECTION("trace", trace_fields),
    END,
};

/* ---- load / default / write ------------------------------------------------------------------ */

void run_config_default(struct run_config *c)
{
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "run");
    c->seed = 1;
    c->vcpus = 1;
    c->length = 1000000;
    c->warmup = 0;
    c->interval = 100000;
    c->quantum = 10000;
    c->clock_mhz = 1500;
    platform_params_default(&c->platform);
    c->guest_enabled = 1;
    guest_os_params_default(&c->guest);
    cost_table_default(&c->costs);
    c->source = SOURCE_GENERATOR;
    workload_params_default(&c->workload, WL_SEQSCAN);
}

/* The workload kind decides the defaults of the other workload keys: read it first. */
static int preload_workload_kind(const struct schema_ctx *ctx, yaml_node_t *root, struct run_config *c)
{
    for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; pr < root->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = yaml_document_get_node(ctx->doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(ctx->doc, pr->value);
        if (k->type != YAML_SCALAR_NODE || strcmp((const char *)k->data.scalar.value, "workload") != 0 ||
            v->type != YAML_MAPPING_NODE)
            continue;
        for (yaml_node_pair_t *wp = v->data.mapping.pairs.start; wp < v->data.mapping.pairs.top; wp++) {
            yaml_node_t *wk = yaml_document_get_node(ctx->doc, wp->key);
            yaml_node_t *wv = yaml_document_get_node(ctx->doc, wp->value);
            if (wk->type != YAML_SCALAR_NODE || strcmp((const char *)wk->data.scalar.value, "kind") != 0)
                continue;
            enum workload_kind kind;
            if (wv->type != YAML_SCALAR_NODE || workload_kind_parse((const char *)wv->data.scalar.value, &kind) != 0)
                return schema_error(ctx, wv, "unknown workload kind (known: seqscan, stride, uniform, zipf, ptrchase, "
                                             "multiproc, mmap_storm, hugepage)");
            workload_params_default(&c->workload, kind);
        }
    }
    return 0;
}

static yaml_node_t *find_key(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = yaml_document_get_node(doc, pr->key);
        if (k->type == YAML_SCALAR_NODE && strcmp((const char *)k->data.scalar.value, key) == 0)
            return k;
    }
    return NULL;
}

static yaml_node_t *find_value(yaml_document_t *doc, yaml_node_t *map, const char *key);

/* A message about sections as a whole (their values together; a, or a and b): at a --set inside
 * them (the option made it wrong), else at the first one's key in the file, else at root. */
static int section_error(const struct schema_ctx *ctx, yaml_node_t *root, const char *a, const char *b, const char *msg)
{
    const char *const sections[2] = {a, b};
    const yaml_node_t *key = NULL;
    for (int i = 0; i < 2 && sections[i]; i++) {
        const yaml_node_t *v = find_value(ctx->doc, root, sections[i]);
        const yaml_node_t *opt = v ? schema_option_in(ctx, v) : NULL;
        if (opt)
            return schema_error(ctx, opt, "%s", msg);
        if (!key)
            key = find_key(ctx->doc, root, sections[i]);
    }
    return schema_error(ctx, key ? key : root, "%s", msg);
}

/* Of two values checked together, the one a message names: b where a later --set gave it (that
 * option made the pair wrong), else a. */
static const yaml_node_t *blame_pair(const yaml_node_t *a, const yaml_node_t *b)
{
    return b && b->start_mark.line >= SCHEMA_ORIGIN_LINE && (!a || b->start_mark.line > a->start_mark.line) ? b : a;
}

/* Checks across keys; messages point at the value or section that holds the conflict. */
static int cross_check(const struct schema_ctx *ctx, yaml_node_t *root, struct run_config *c)
{
    yaml_node_t *where = root;
    for (const char *p = c->name; *p; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
              *p == '.') ||
            (p == c->name && *p == '.')) {
            yaml_node_t *v = find_value(ctx->doc, root, "name"); /* the value: the file's, or a --set's */
            return schema_error(ctx, v ? v : root, "name may hold letters, digits, '-', '_' and '.' (not first)");
        }
    }
    /* a warm-up as long as the run measures nothing (its counters never reset): where the length
     * is known up front (a generator's, or a trace's run.length), say so now, at run.warmup or
     * the --set of either that made it so; a trace read to its end is checked after the run */
    yaml_node_t *run = find_value(ctx->doc, root, "run");
    yaml_node_t *warmup = run ? find_value(ctx->doc, run, "warmup") : NULL;
    c->warmup_place[0] = '\0';
    if (warmup)
        schema_place(ctx, warmup->start_mark, c->warmup_place, sizeof c->warmup_place);
    if (c->warmup && c->warmup >= c->length && (c->length || c->source == SOURCE_GENERATOR)) {
        yaml_node_t *length = run ? find_value(ctx->doc, run, "length") : NULL;
        const yaml_node_t *at = blame_pair(warmup, length);
        return schema_error(ctx, at ? at : root,
                            "run.warmup (%llu references per vCPU) must be less than run.length (%llu): the whole run "
                            "would be warm-up, nothing measured",
                            (unsigned long long)c->warmup, (unsigned long long)c->length);
    }
    c->platform.nr_vcpus = c->vcpus;
    c->guest.nr_vcpus = c->vcpus;
    c->workload.nr_vcpus = c->vcpus;
    c->workload.seed = c->seed;
    c->workload.length = c->length * c->vcpus;
    c->platform.machine.tlb_seed = c->seed;
    c->platform.machine.walker.seed = c->seed;
    const char *bad = platform_params_check(&c->platform);
    if (bad) {
        return section_error(ctx, root, "machine", "vmm", bad);
    }
    if (c->guest_enabled && (bad = guest_os_params_check(&c->guest)) != NULL)
        return section_error(ctx, root, "guest", NULL, bad);
    if (c->source == SOURCE_GENERATOR) {
        char msg[256];
        if (workload_check(&c->workload, msg, sizeof msg) != 0)
            return section_error(ctx, root, "workload", NULL, msg);
        /* instructions per IFETCH of a workload that fetches nothing would count none, and every
         * mpki would be missing without a word */
        if (c->workload.insns_per_ifetch && c->workload.ifetch_fraction == 0) {
            yaml_node_t *w = find_value(ctx->doc, root, "workload");
            yaml_node_t *ipi = w ? find_value(ctx->doc, w, "insns_per_ifetch") : NULL;
            yaml_node_t *frac = w ? find_value(ctx->doc, w, "ifetch_fraction") : NULL;
            const yaml_node_t *at = blame_pair(ipi, frac);
            return schema_error(ctx, at ? at : root,
                                "workload.insns_per_ifetch %u counts the instructions of each IFETCH, but "
                                "workload.ifetch_fraction is 0: there are none (set ifetch_fraction, or "
                                "insns_per_ifetch 0)",
                                c->workload.insns_per_ifetch);
        }
        /* the hugepage workload's region gets its huge page size, unless the file set it */
        for (unsigned r = 0; r < 8; r++) {
            const unsigned hint = workload_region_ps_hint(&c->workload, r);
            if (hint && !(c->guest_region_ps_given & (1u << r)))
                c->guest.region_ps[r] = hint;
        }
        if (c->guest_enabled && (bad = guest_os_params_check(&c->guest)) != NULL) {
            char why[320];
            snprintf(why, sizeof why, "with the workload's page size: %s", bad);
            return section_error(ctx, root, "workload", NULL, why);
        }
    } else {
        if (c->trace_path[0] == '\0') {
            yaml_node_t *v = find_value(ctx->doc, root, "source");
            return schema_error(ctx, v ? v : where, "source %s needs trace.path", source_name((int)c->source));
        }
        /* source: ski with guest.enabled true needs a user-mode trace, false a system-mode one: the
         * trace decides (event_source_open) */
    }
    return 0;
}

static yaml_node_t *find_value(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
    if (map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *pr = map->data.mapping.pairs.start; pr < map->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = yaml_document_get_node(doc, pr->key);
        if (k->type == YAML_SCALAR_NODE && strcmp((const char *)k->data.scalar.value, key) == 0)
            return yaml_document_get_node(doc, pr->value);
    }
    return NULL;
}

/* A trace that is not there is the experiment file's error: say so at trace.path, now, rather
 * than later without a place. (stat, not open: a FIFO must not be opened twice.) */
static int check_trace_file(const struct schema_ctx *ctx, yaml_node_t *root, const struct run_config *c)
{
    struct stat st;
    if (c->source == SOURCE_GENERATOR)
        return 0;
    const char *why = stat(c->trace_path, &st) != 0 || access(c->trace_path, R_OK) != 0 ? strerror(errno)
                      : S_ISDIR(st.st_mode)                                              ? "is a directory"
                                                                                         : NULL;
    if (!why)
        return 0;
    yaml_node_t *trace = find_value(ctx->doc, root, "trace");
    yaml_node_t *path = trace ? find_value(ctx->doc, trace, "path") : NULL;
    return schema_error(ctx, path ? path : root, "cannot open trace.path '%s': %s", c->trace_path, why);
}

/* A trace path is relative to the experiment file; keep it absolute from here on, so the
 * resolved config.yaml written elsewhere still names the same file. */
static void absolute_trace_path(struct run_config *c, const char *config_path)
{
    if (c->trace_path[0] == '\0' || c->trace_path[0] == '/')
        return;
    char joined[2 * RUN_PATH_MAX];
    const char *slash = strrchr(config_path, '/');
    if (slash)
        snprintf(joined, sizeof joined, "%.*s/%s", (int)(slash - config_path), config_path, c->trace_path);
    else
        snprintf(joined, sizeof joined, "%s", c->trace_path);
    char *real = realpath(joined, NULL);
    const char *use = real ? real : joined;
    if (strlen(use) < sizeof c->trace_path)
        memcpy(c->trace_path, use, strlen(use) + 1);
    free(real);
}

int run_config_from_doc(struct run_config *c, struct config_doc *d, char *err, size_t errlen)
{
    const struct schema_ctx ctx = config_doc_ctx(d, err, errlen);
    yaml_node_t *root = yaml_document_get_root_node(&d->doc);
    int rc = preload_workload_kind(&ctx, root, c);
    if (rc == 0)
        rc = schema_load_mapping(&ctx, root, c, top_fields);
    if (rc == 0)
        rc = cross_check(&ctx, root, c);
    if (rc == 0) {
        /* a path written in the file is relative to the file; one given on the command line
         * (--set trace.path=...), to the working directory, as every path typed there is */
        yaml_node_t *trace = find_value(ctx.doc, root, "trace");
        yaml_node_t *path = trace ? find_value(ctx.doc, trace, "path") : NULL;
        absolute_trace_path(c, path && path->start_mark.line >= SCHEMA_ORIGIN_LINE ? "" : d->path);
        rc = check_trace_file(&ctx, root, c);
    }
    return rc;
}

int run_config_load(struct run_config *c, const char *path, char *err, size_t errlen)
{
    struct config_doc d;
    if (config_doc_load(&d, path, err, errlen) != 0)
        return -1;
    const int rc = run_config_from_doc(c, &d, err, errlen);
    config_doc_free(&d);
    return rc;
}

int run_config_key_in_bytes(const char *key)
{
    const struct field *fields = top_fields;
    for (;;) {
        const char *dot = strchr(key, '.');
        const size_t len = dot ? (size_t)(dot - key) : strlen(key);
        const struct field *f = fields;
        while (f->key && (strlen(f->key) != len || strncmp(f->key, key, len) != 0))
            f++;
        if (!f->key)
            return 0;
        if (f->kind == FIELD_SECTION && dot) {
            fields = f->sub;
            key = dot + 1;
            continue;
        }
        if (f->kind == FIELD_CUSTOM) /* sizes inside: region page sizes, a TLB level's page_size */
            return strcmp(f->key, "region_page_size") == 0 || (dot && strcmp(dot + 1, "page_size") == 0);
        return !dot && (f->kind == FIELD_SIZE_SHIFT || f->kind == FIELD_PAGE_SHIFT || f->bytes);
    }
}

static int emit_run_config(yaml_emitter_t *em, const void *c) { return schema_emit_mapping(em, c, top_fields); }

int run_config_write(const struct run_config *c, FILE *out) { return schema_write_document(out, emit_run_config, c); }

char *run_config_text(const struct run_config *c, const char *header, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    if (!f)
        return NULL;
    if (header)
        fputs(header, f);
    const int rc = run_config_write(c, f);
    if (fclose(f) != 0 || rc != 0) {
        free(text);
        return NULL;
    }
    return text;
}
