/* cmd_trace.c - `vhptsim trace info FILE` and `vhptsim trace convert IN OUT` (docs/ski-traces.md). */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../trace/page_set.h"
#include "../model/ia64/ia64_vector.h"
#include "../trace/ski_reader.h"
#include "../trace/ski_system.h"
#include "../trace/ski_writer.h"
#include "../trace/vtrace.h"
#include "build_info.h"
#include "cli_util.h"
#include "out_file.h"
#include "commands.h"


/* ---- help ------------------------------------------------------------------------------------ */

static void trace_usage(FILE *out)
{
    fputs("Usage: vhptsim trace SUBCOMMAND [OPTIONS] ...\n"
          "\n"
          "Inspects and converts trace files: Ski's binary traces (written by the Ski IA-64\n"
          "simulator with 'trfile' + 'trace 1') and vhptsim's vtrace text (docs/vtrace.md).\n"
          "\n"
          "Subcommands:\n"
          "  info FILE         record counts, instructions, data references by kind and size,\n"
          "                    distinct 4K/16K/64K pages, regions, first and last instruction\n"
          "  convert IN OUT    Ski -> vtrace, vtrace -> Ski (or either to itself)\n"
          "\n"
          "  -h, --help        show this help\n"
          "\n"
          "A file's format follows its name: '.vtr' is vtrace text, anything else a Ski trace;\n"
          "--from and --to override it. Run 'vhptsim trace SUBCOMMAND --help' for the options.\n"
          "Exit status: 0 success, 1 I/O failure, 2 bad arguments or a bad trace (the message\n"
          "names the byte offset in a Ski file, FILE:LINE:COLUMN in a vtrace file).\n"
          "Details: docs/ski-traces.md.\n",
          out);
}

static void info_usage(FILE *out)
{
    fputs("Usage: vhptsim trace info [OPTIONS] FILE\n"
          "\n"
          "Reads a whole trace ('-' = standard input) and prints one 'name value' line per\n"
          "figure: for a Ski trace the header fields, the record count of every record type,\n"
          "instructions (CAPSULE records), bundles entered, discontinuities, data references\n"
          "by kind and size; for both formats the events by kind, the distinct 4 KiB, 16 KiB\n"
          "and 64 KiB pages touched (data and instruction separately, in total and per\n"
          "region), the regions seen and the first and last instruction (bundle) address.\n"
          "A system-mode Ski trace (mode system) adds its interruptions by vector, access and\n"
          "region, the privileged instructions by kind, the AR-value records, and the guest's\n"
          "TLB operations with what became of their operands (docs/ski-traces.md).\n"
          "Memory grows with the number of distinct pages only.\n"
          "\n"
          "Options:\n"
          "  --from ski|vtrace     the input format (default: '.vtr' = vtrace, else ski)\n"
          "  -h, --help            show this help\n"
          "\n"
          "Exit status: 0 success, 1 I/O failure, 2 bad arguments or a bad trace.\n",
          out);
}

static void convert_usage(FILE *out)
{
    fputs("Usage: vhptsim trace convert [OPTIONS] IN OUT\n"
          "\n"
          "Converts a trace between Ski's binary format and vtrace text. Ski -> vtrace writes\n"
          "one vtrace line per guest event (ifetch, ld, st, rse.ld, rse.st, lfetch, mark).\n"
          "vtrace -> Ski writes a file with the header layout and record length table of the\n"
          "files Ski writes: CAPSULE + BUNDLE (zeros) + IOFFSET per ifetch, a DOFFSET per data\n"
          "reference, INTERRUPTION / DISCONTINUITY + VIRT_CYCLE per mark code 1 / 2, END.\n"
          "OUT is written to OUT.tmp-<pid> and renamed when complete; on failure or a signal\n"
          "nothing is left behind. An existing OUT is replaced only with --force (never a\n"
          "directory, device or link). '-' is standard input / output (vtrace unless\n"
          "--from/--to say ski).\n"
          "\n"
          "Options:\n"
          "  --from ski|vtrace     the input format (default: '.vtr' = vtrace, else ski)\n"
          "  --to ski|vtrace       the output format (default: '.vtr' = vtrace, else ski)\n"
          "  --ifetch bundle|insn  reading Ski: one ifetch per executed bundle (default) or\n"
          "                        one per executed instruction (CAPSULE record)\n"
          "  --drop-tlb-ops        writing Ski: drop the events a Ski trace cannot carry (itc,\n"
          "                        itr, ptc, ptr, rr, pta, psr, ctx, user marks) and the values\n"
          "                        of 'st ... val=' instead of failing; the count is reported\n"
          "  -f, --force           replace OUT if it exists\n"
          "  -h, --help            show this help\n"
          "\n"
          "Exit status: 0 success, 1 I/O failure, 2 bad arguments (OUT exists without --force,\n"
          "or cannot be written there), a bad input trace, or an event the output format cannot\n"
          "carry (the message names the input line).\n",
          out);
}

/* ---- event sources --------------------------------------------------------------------------- */

enum fmt { FMT_AUTO = 0, FMT_SKI, FMT_VTRACE };

static int parse_fmt(const char *opt, const char *arg, enum fmt *f)
{
    if (strcmp(arg, "ski") == 0)
        *f = FMT_SKI;
    else if (strcmp(arg, "vtrace") == 0 || strcmp(arg, "vtr") == 0)
        *f = FMT_VTRACE;
    else {
        fprintf(stderr, "%s %s: error: unknown format (known: ski, vtrace)\n", opt, arg);
        return -1;
    }
    return 0;
}

static enum fmt fmt_of(const char *path, enum fmt forced)
{
    if (forced != FMT_AUTO)
        return forced;
    if (strcmp(path, "-") == 0)
        return FMT_VTRACE;
    const size_t n = strlen(path);
    return n >= 4 && strcmp(path + n - 4, ".vtr") == 0 ? FMT_VTRACE : FMT_SKI;
}

struct source {
    enum fmt fmt;
    const char *path;
    struct ski_reader *ski;
    struct vtrace_reader *vt;
};

/* 0 or an exit status (the message printed). */
static int source_open(struct source *s, const char *path, enum fmt fmt, enum ski_ifetch_mode mode)
{
    char err[512];
    memset(s, 0, sizeof *s);
    s->fmt = fmt;
    s->path = path;
    if (fmt == FMT_SKI)
        s->ski = ski_open(path, mode, err, sizeof err);
    else
        s->vt = vtrace_open(path, err, sizeof err);
    if (!s->ski && !s->vt) {
        fprintf(stderr, "%s\n", err);
        return EXIT_USAGE;
    }
    return 0;
}

/* 1 event, 0 end, or -(exit status) after printing the error. */
static int source_next(struct source *s, struct guest_event *ev)
{
    if (s->ski) {
        const int rc = ski_next(s->ski, ev);
        if (rc >= 0)
            return rc;
        fprintf(stderr, "%s\n", ski_reader_error(s->ski));
        return ski_reader_io_error(s->ski) ? -EXIT_RUNTIME : -EXIT_USAGE;
    }
    const int rc = vtrace_next(s->vt, ev);
    if (rc >= 0)
        return rc;
    fprintf(stderr, "%s\n", vtrace_reader_error(s->vt));
    return -EXIT_USAGE;
}

static void source_close(struct source *s)
{
    ski_close(s->ski);
    if (s->vt)
        vtrace_close(s->vt);
}

/* Where the current event came from, for messages: "FILE:LINE" or "FILE: offset N". */
static void source_where(const struct source *s, char *buf, size_t len)
{
    if (s->ski)
        snprintf(buf, len, "%s: offset %" PRIu64, s->path, ski_reader_offset(s->ski));
    else
        snprintf(buf, len, "%s:%lu", s->path, vtrace_line(s->vt));
}

/* ---- trace info ------------------------------------------------------------------------------ */

static const unsigned page_shifts[3] = {12, 14, 16};
static const char *const page_names[3] = {"4k", "16k", "64k"};

struct footprint {
    struct page_set set[3];
    uint64_t last[3]; /* last page inserted (a cheap filter: runs of one page are common) */
    bool have_last;
    uint64_t per_region[3][8];
    unsigned regions; /* bit r: region r seen */
};

static void footprint_init(struct footprint *fp)
{
    memset(fp, 0, sizeof *fp);
    for (int i = 0; i < 3; i++)
        page_set_init(&fp->set[i]);
}

static void footprint_free(struct footprint *fp)
{
    for (int i = 0; i < 3; i++)
        page_set_free(&fp->set[i]);
}

static int footprint_add(struct footprint *fp, uint64_t va)
{
    const unsigned region = (unsigned)(va >> 61);
    fp->regions |= 1u << region;
    for (int i = 0; i < 3; i++) {
        const uint64_t page = va >> page_shifts[i];
        if (fp->have_last && page == fp->last[i])
            break; /* same page here means same page for every larger size too */
        const int added = page_set_insert(&fp->set[i], page);
        if (added < 0)
            return -1;
        fp->per_region[i][region] += (unsigned)added;
        fp->last[i] = page;
    }
    fp->have_last = true;
    return 0;
}

static void print_footprint(FILE *out, const char *what, const struct footprint *fp)
{
    for (int i = 0; i < 3; i++)
        fprintf(out, "pages.%s.%s %zu\n", what, page_names[i], page_set_size(&fp->set[i]));
    for (unsigned r = 0; r < 8; r++)
        if (fp->regions & (1u << r))
            for (int i = 0; i < 3; i++)
                fprintf(out, "pages.%s.%s.region%u %" PRIu64 "\n", what, page_names[i], r, fp->per_region[i][r]);
}

static void print_regions(FILE *out, const char *what, unsigned mask)
{
    fprintf(out, "regions.%s ", what);
    bool first = true;
    for (unsigned r = 0; r < 8; r++)
        if (mask & (1u << r)) {
            fprintf(out, "%s%u", first ? "" : ",", r);
            first = false;
        }
    fputs(first ? "none\n" : "\n", out);
}

static void print_ski_header(FILE *out, const struct ski_reader *r)
{
    const struct ski_header *h = ski_reader_header(r);
    fprintf(out, "header.version %u.%u\n", h->header_major, h->header_minor);
    fprintf(out, "header.record_version %u.%u\n", h->record_major, h->record_minor);
    fprintf(out, "header.first_record %" PRIu32 "\n", h->first_record);
    fprintf(out, "header.record_count %" PRIu32 "\n", h->record_count);
    fprintf(out, "header.start_instructions %.0f\n", h->virtual_cycle);
    fprintf(out, "header.time %" PRIu32 "\n", h->sim_time);
    static const char *const names[SKI_STR_COUNT] = {"host", "user", "tool", "uarch", "workload", "trace_name",
                                                     "comments"};
    for (unsigned i = 0; i < SKI_STR_COUNT; i++) {
        const char *s = ski_header_string(r, (enum ski_header_string)i);
        if (s)
            fprintf(out, "header.%s %s\n", names[i], s);
    }
}

static void print_ski_records(FILE *out, const struct ski_reader *r)
{
    const struct ski_stats *st = ski_reader_stats(r);
    fprintf(out, "bytes %" PRIu64 "\n", st->bytes);
    fprintf(out, "records %" PRIu64 "\n", st->records);
    for (unsigned t = 0; t < 256; t++) {
        const char *name = ski_record_name(t);
        if (name)
            fprintf(out, "records.%s %" PRIu64 "\n", name, st->by_type[t]);
    }
    fprintf(out, "instructions %" PRIu64 "\n", st->instructions);
    fprintf(out, "instructions.pred_false %" PRIu64 "\n", st->pred_false);
    fprintf(out, "instructions.untraced %" PRIu64 "\n", st->untraced);
    fprintf(out, "bundles %" PRIu64 "\n", st->bundles_entered);
    fprintf(out, "bundles.slot_rule %" PRIu64 "\n", st->bundle_starts);
    uint64_t refs = 0;
    for (unsigned k = 0; k < SKI_D_KINDS; k++)
        refs += st->dref_kind[k];
    fprintf(out, "data.refs %" PRIu64 "\n", refs);
    for (unsigned k = 0; k < SKI_D_KINDS; k++) {
        const char *kname = ski_dkind_name(k == 7 ? SKI_D_UNKNOWN : k);
        fprintf(out, "data.%s %" PRIu64 "\n", kname, st->dref_kind[k]);
        for (unsigned i = 0; i <= SKI_NSIZES; i++)
            if (st->dref_size[k][i]) {
                if (i < SKI_NSIZES)
                    fprintf(out, "data.%s.%u %" PRIu64 "\n", kname, ski_sizes[i], st->dref_size[k][i]);
                else
                    fprintf(out, "data.%s.unknown_size %" PRIu64 "\n", kname, st->dref_size[k][i]);
            }
    }
}

/* The system-mode figures (docs/ski-traces.md, "System mode"). */
static void print_ski_system(FILE *out, const struct ski_sys_stats *s)
{
    fprintf(out, "system.bundles %" PRIu64 "\n", s->bundles);
    fprintf(out, "system.bundles.no_ioffset %" PRIu64 "\n", s->bundles_no_ioffset);
    fprintf(out, "system.ioffset_mismatch %" PRIu64 "\n", s->ioffset_mismatch);
    fprintf(out, "system.capsules.undecoded %" PRIu64 "\n", s->undecoded);
    fprintf(out, "system.capsules.interrupted %" PRIu64 "\n", s->interrupted);
    fprintf(out, "interruptions %" PRIu64 "\n", s->interruptions);
    for (unsigned v = 0; v <= IA64_IVT_ENTRIES; v++) {
        uint64_t n = 0;
        for (unsigned k = 0; k < SKI_INTR_KINDS; k++)
            for (unsigned g = 0; g < 9; g++)
                n += s->intr[v][k][g];
        if (!n)
            continue;
        const char *name = v < IA64_IVT_ENTRIES ? ia64_vector_name(v) : "unknown_vector";
        fprintf(out, "interruptions.%s %" PRIu64 "\n", name, n);
        for (unsigned k = 0; k < SKI_INTR_KINDS; k++)
            for (unsigned g = 0; g < 9; g++)
                if (s->intr[v][k][g]) {
                    if (g < 8)
                        fprintf(out, "interruptions.%s.%s.region%u %" PRIu64 "\n", name, ski_intr_kind_name(k), g,
                                s->intr[v][k][g]);
                    else
                        fprintf(out, "interruptions.%s.%s.no_address %" PRIu64 "\n", name, ski_intr_kind_name(k),
                                s->intr[v][k][g]);
                }
    }
    fprintf(out, "interruptions.psr_mismatch %" PRIu64 "\n", s->psr_mismatch);
    fprintf(out, "interruptions.iva_mismatch %" PRIu64 "\n", s->iva_mismatch);
    for (unsigned k = 0; k < SKI_PRIV_COUNT; k++)
        fprintf(out, "privileged.%s %" PRIu64 "\n", ski_priv_name((enum ski_priv)k), s->priv[k]);
    fprintf(out, "ar_values %" PRIu64 "\n", s->ar_values);
    fprintf(out, "ar_values.kernel %" PRIu64 "\n", s->ar_values_kernel);
    fprintf(out, "ar_values.unattributed %" PRIu64 "\n", s->ar_values_unattributed);
    uint64_t ops = 0, complete = 0, annotated = 0;
    for (unsigned k = 0; k < SKI_OP_TLB_COUNT; k++) {
        ops += s->ops[k];
        complete += s->ops_complete[k];
        annotated += s->ops_annotated[k];
    }
    fprintf(out, "tlb_ops %" PRIu64 "\n", ops);
    fprintf(out, "tlb_ops.complete %" PRIu64 "\n", complete);
    fprintf(out, "tlb_ops.annotated %" PRIu64 "\n", annotated);
    for (unsigned k = 0; k < SKI_OP_COUNT; k++) {
        const char *name = ski_op_name((enum ski_op)k);
        const char *group = k < SKI_OP_TLB_COUNT ? "tlb_ops" : "psr_ops";
        if (k == SKI_OP_PSR)
            fprintf(out, "psr_ops %" PRIu64 "\npsr_ops.complete %" PRIu64 "\n", s->ops[k], s->ops_complete[k]);
        else if (s->ops[k])
            fprintf(out, "%s.%s %" PRIu64 "\n%s.%s.complete %" PRIu64 "\n%s.%s.annotated %" PRIu64 "\n", group,
                    name, s->ops[k], group, name, s->ops_complete[k], group, name, s->ops_annotated[k]);
        for (unsigned o = 0; o < SKI_OPND_COUNT; o++)
            if (s->ops_missing[k][o])
                fprintf(out, "%s.missing.%s.%s %" PRIu64 "\n", group, k == SKI_OP_PSR ? "psr" : name,
                        ski_operand_name(o), s->ops_missing[k][o]);
    }
    fprintf(out, "operands.annotated %s\n", ops && annotated == ops ? "yes" : annotated ? "partly" : "no");
    fprintf(out, "operands.mismatch %" PRIu64 "\n", s->operand_mismatch);
}

/* Data references by event kind and size, for vtrace input (Ski input prints the Ski kinds). */
static void print_event_refs(FILE *out, const uint64_t count[GE_KIND_COUNT], const uint64_t size[GE_KIND_COUNT][17])
{
    static const struct {
        enum guest_event_kind k;
        const char *name;
    } kinds[] = {{GE_LOAD, "read"}, {GE_STORE, "write"}, {GE_LFETCH, "lfetch"}, {GE_RSE_LOAD, "rse_fill"},
                 {GE_RSE_STORE, "rse_spill"}};
    uint64_t refs = 0;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        refs += count[kinds[i].k];
    fprintf(out, "data.refs %" PRIu64 "\n", refs);
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        fprintf(out, "data.%s %" PRIu64 "\n", kinds[i].name, count[kinds[i].k]);
        for (unsigned s = 0; s <= 16; s++)
            if (size[kinds[i].k][s])
                fprintf(out, "data.%s.%u %" PRIu64 "\n", kinds[i].name, s, size[kinds[i].k][s]);
    }
}

static int parse_from_only(int argc, char **argv, enum fmt *from)
{
    static const struct option opts[] = {
        {"from", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            info_usage(stdout);
            return 1;
        case 'f':
            if (parse_fmt("--from", optarg, from) != 0)
                return -1;
            break;
        default:
            cli_error("trace info: unknown or incomplete option '%s' (try 'vhptsim trace info --help')",
                      argv[optind - 1]);
            return -1;
        }
    }
    return 0;
}

static int trace_info(int argc, char **argv)
{
    enum fmt from = FMT_AUTO;
    const int prc = parse_from_only(argc, argv, &from);
    if (prc != 0)
        return prc > 0 ? EXIT_OK : EXIT_USAGE;
    if (optind != argc - 1) {
        cli_error("trace info: expected one trace file (try 'vhptsim trace info --help')");
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    struct source src;
    int rc = source_open(&src, path, fmt_of(path, from), SKI_IFETCH_BUNDLE);
    if (rc)
        return rc;

    uint64_t count[GE_KIND_COUNT] = {0}, size[GE_KIND_COUNT][17];
    memset(size, 0, sizeof size);
    uint64_t marks[4] = {0}, first_insn = 0, last_insn = 0, events = 0;
    bool have_insn = false;
    struct footprint data, insn;
    footprint_init(&data);
    footprint_init(&insn);
    struct guest_event ev;
    int got;
    while ((got = source_next(&src, &ev)) > 0) {
        events++;
        const enum guest_event_kind k = (enum guest_event_kind)ev.kind;
        if (k < GE_KIND_COUNT)
            count[k]++;
        if (k == GE_MARK && ev.op0 < 4)
            marks[ev.op0]++;
        if (!guest_event_is_reference(k))
            continue;
        if (ev.size <= 16)
            size[k][ev.size]++;
        if (k == GE_IFETCH) {
            if (!have_insn)
                first_insn = ev.va;
            last_insn = ev.va;
            have_insn = true;
        }
        if (footprint_add(k == GE_IFETCH ? &insn : &data, ev.va) != 0) {
            cli_error("trace info: out of memory (page sets)");
            got = -EXIT_RUNTIME;
            break;
        }
    }
    if (got < 0) {
        rc = -got;
        goto out;
    }

    printf("file %s\n", path);
    printf("format %s\n", src.ski ? "ski" : "vtrace");
    if (src.ski) {
        print_ski_header(stdout, src.ski);
        printf("mode %s\n", ski_reader_system(src.ski) ? "system" : "user");
        print_ski_records(stdout, src.ski);
        if (ski_reader_system(src.ski))
            print_ski_system(stdout, ski_reader_system_stats(src.ski));
    } else {
        printf("vcpus %u\n", vtrace_vcpus(src.vt));
        print_event_refs(stdout, count, size);
    }
    printf("marks.interruption %" PRIu64 "\n", marks[GE_MARK_INTERRUPTION]);
    printf("marks.discontinuity %" PRIu64 "\n", marks[GE_MARK_DISCONTINUITY]);
    if (marks[GE_MARK_UNRECOVERED])
        printf("marks.unrecovered %" PRIu64 "\n", marks[GE_MARK_UNRECOVERED]);
    printf("events %" PRIu64 "\n", events);
    for (unsigned k = 0; k < GE_KIND_COUNT; k++)
        if (count[k])
            printf("events.%s %" PRIu64 "\n", guest_event_kind_name((enum guest_event_kind)k), count[k]);
    print_footprint(stdout, "data", &data);
    print_footprint(stdout, "insn", &insn);
    print_regions(stdout, "data", data.regions);
    print_regions(stdout, "insn", insn.regions);
    if (have_insn) {
        printf("insn.first 0x%016" PRIx64 "\n", first_insn);
        printf("insn.last 0x%016" PRIx64 "\n", last_insn);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("trace info: cannot write the output");
        rc = EXIT_RUNTIME;
    }
out:
    footprint_free(&data);
    footprint_free(&insn);
    source_close(&src);
    return rc;
}

/* ---- trace convert --------------------------------------------------------------------------- */

enum { OPT_FROM = 256, OPT_TO, OPT_IFETCH, OPT_DROP };

struct convert_opts {
    enum fmt from, to;
    enum ski_ifetch_mode ifetch;
    bool drop;
    bool force; /* replace an existing OUT */
};

static int parse_convert(int argc, char **argv, struct convert_opts *o)
{
    static const struct option opts[] = {
        {"from", required_argument, NULL, OPT_FROM},
        {"to", required_argument, NULL, OPT_TO},
        {"ifetch", required_argument, NULL, OPT_IFETCH},
        {"drop-tlb-ops", no_argument, NULL, OPT_DROP},
        {"force", no_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "hf", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            convert_usage(stdout);
            return 1;
        case 'f':
            o->force = true;
            break;
        case OPT_FROM:
            if (parse_fmt("--from", optarg, &o->from) != 0)
                return -1;
            break;
        case OPT_TO:
            if (parse_fmt("--to", optarg, &o->to) != 0)
                return -1;
            break;
        case OPT_IFETCH:
            if (strcmp(optarg, "bundle") == 0)
                o->ifetch = SKI_IFETCH_BUNDLE;
            else if (strcmp(optarg, "insn") == 0)
                o->ifetch = SKI_IFETCH_INSN;
            else {
                fprintf(stderr, "--ifetch %s: error: expected 'bundle' or 'insn'\n", optarg);
                return -1;
            }
            break;
        case OPT_DROP:
            o->drop = true;
            break;
        default:
            cli_error("trace convert: unknown or incomplete option '%s' (try 'vhptsim trace convert --help')",
                      argv[optind - 1]);
            return -1;
        }
    }
    return 0;
}

struct sink {
    enum fmt fmt;
    FILE *f;
    struct out_file *out; /* NULL when writing standard output */
    const char *path;
    struct ski_writer *ski;
};

static int sink_open(struct sink *k, const char *path, enum fmt fmt, bool force)
{
    static struct out_file out; /* its paths: the signal handler's */
    memset(k, 0, sizeof *k);
    k->fmt = fmt;
    k->path = path;
    if (strcmp(path, "-") == 0) {
        k->f = stdout;
    } else {
        const int rc = out_file_open(&out, "trace convert", path, force);
        if (rc != EXIT_OK)
            return rc;
        k->out = &out;
        k->f = out.f;
    }
    if (fmt == FMT_SKI) {
        char err[256];
        k->ski = ski_writer_open(k->f, "vhptsim " VHPTSIM_VERSION " (trace convert)", err, sizeof err);
        if (!k->ski) {
            cli_error("trace convert: %s: %s", path, err);
            return EXIT_RUNTIME;
        }
    }
    return 0;
}

/* Finishes (ok) or abandons the output; returns the final exit status. */
static int sink_close(struct sink *k, int status)
{
    if (status == EXIT_OK && k->ski && ski_writer_finish(k->ski) != 0) {
        cli_error("trace convert: %s: %s", k->path, ski_writer_error(k->ski));
        status = EXIT_RUNTIME;
    }
    ski_writer_free(k->ski);
    if (!k->f)
        return status;
    if (k->f == stdout) {
        if (fflush(stdout) != 0 && status == EXIT_OK) {
            cli_error("trace convert: cannot write standard output");
            status = EXIT_RUNTIME;
        }
        return status;
    }
    if (status == EXIT_OK)
        return out_file_commit(k->out, "trace convert");
    out_file_abort(k->out);
    return status;
}

/* One event to the Ski writer; returns an exit status. */
static int put_ski(const struct source *src, struct sink *sink, struct guest_event *ev, bool drop, uint64_t *dropped,
                   uint64_t *values_dropped)
{
    if (drop && ev->kind == GE_STORE && (ev->flags & GE_F_HAS_VALUE)) {
        ev->flags &= (uint8_t)~GE_F_HAS_VALUE;
        ++*values_dropped;
    }
    const int rc = ski_writer_put(sink->ski, ev);
    if (rc == 0)
        return EXIT_OK;
    if (rc == 1 && drop) {
        ++*dropped;
        return EXIT_OK;
    }
    if (rc == 1) {
        char where[600];
        source_where(src, where, sizeof where);
        fprintf(stderr, "%s: error: %s (use --drop-tlb-ops to drop such events)\n", where,
                ski_writer_error(sink->ski));
        return EXIT_USAGE;
    }
    cli_error("trace convert: %s: %s", sink->path, ski_writer_error(sink->ski));
    return EXIT_RUNTIME;
}

static int trace_convert(int argc, char **argv)
{
    struct convert_opts o = {FMT_AUTO, FMT_AUTO, SKI_IFETCH_BUNDLE, false, false};
    const int prc = parse_convert(argc, argv, &o);
    if (prc != 0)
        return prc > 0 ? EXIT_OK : EXIT_USAGE;
    if (optind != argc - 2) {
        cli_error("trace convert: expected an input and an output file (try 'vhptsim trace convert --help')");
        return EXIT_USAGE;
    }
    const char *in = argv[optind], *outp = argv[optind + 1];
    const enum fmt from = fmt_of(in, o.from), to = fmt_of(outp, o.to);

    struct source src;
    int status = source_open(&src, in, from, o.ifetch);
    if (status)
        return status;
    struct guest_event ev;
    int got = source_next(&src, &ev); /* vtrace: the vcpus directive precedes the first event */
    if (got < 0) {
        source_close(&src);
        return -got;
    }
    struct sink sink;
    status = sink_open(&sink, outp, to, o.force);
    if (status) {
        source_close(&src);
        return sink_close(&sink, status);
    }
    if (to == FMT_VTRACE) {
        fprintf(sink.f, "# converted from %s by vhptsim trace convert\n", in);
        /* the instruction count survives where vtrace can say it: a vtrace's own directive; a
         * user-mode Ski trace read one IFETCH per instruction (per bundle, the count is not per
         * IFETCH; a system-mode trace also fetches without an instruction: the fetch attempts
         * an interruption cut short) */
        const unsigned insns = src.vt ? vtrace_insns_per_ifetch(src.vt)
                                      : src.ski && o.ifetch == SKI_IFETCH_INSN && !ski_reader_system(src.ski);
        if ((src.vt && vtrace_write_header(sink.f, vtrace_vcpus(src.vt)) != 0) ||
            vtrace_write_insns_per_ifetch(sink.f, insns) != 0) {
            cli_error("trace convert: cannot write '%s': %s", outp, strerror(errno ? errno : EIO));
            status = EXIT_RUNTIME;
        }
    }
    uint64_t dropped = 0, values_dropped = 0;
    char where[600];
    while (got > 0 && status == EXIT_OK) {
        if (to == FMT_VTRACE) {
            if (src.ski && ev.cpu != 0) {
                source_where(&src, where, sizeof where);
                fprintf(stderr, "%s: error: processor %u: multi-processor Ski traces cannot be written as vtrace\n",
                        where, (unsigned)ev.cpu);
                status = EXIT_USAGE;
            } else if (vtrace_write_event(sink.f, &ev) != 0) {
                cli_error("trace convert: cannot write '%s': %s", outp, strerror(errno ? errno : EIO));
                status = EXIT_RUNTIME;
            }
        } else {
            status = put_ski(&src, &sink, &ev, o.drop, &dropped, &values_dropped);
        }
        if (status == EXIT_OK)
            got = source_next(&src, &ev);
    }
    if (got < 0)
        status = -got;
    if (status == EXIT_OK && to == FMT_VTRACE && ferror(sink.f)) {
        cli_error("trace convert: cannot write '%s'", outp);
        status = EXIT_RUNTIME;
    }
    source_close(&src);
    status = sink_close(&sink, status);
    if (status == EXIT_OK && (dropped || values_dropped))
        cli_error("trace convert: dropped %" PRIu64 " event%s a Ski trace cannot carry and %" PRIu64
                  " store value%s",
                  dropped, dropped == 1 ? "" : "s", values_dropped, values_dropped == 1 ? "" : "s");
    return status;
}

/* ---- dispatch -------------------------------------------------------------------------------- */

int cmd_trace(int argc, char **argv)
{
    if (argc < 2) {
        trace_usage(stderr);
        return EXIT_USAGE;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "-h") == 0 || strcmp(sub, "--help") == 0 || strcmp(sub, "help") == 0) {
        trace_usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(sub, "info") == 0)
        return trace_info(argc - 1, argv + 1);
    if (strcmp(sub, "convert") == 0)
        return trace_convert(argc - 1, argv + 1);
    cli_error("trace: unknown subcommand '%s' (try 'vhptsim trace --help')", sub);
    return EXIT_USAGE;
}
