/* cmd_replay.c - `vhptsim replay FILE.vtr`: functional replay, counters, state dump. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/platform/counters.h"
#include "../model/platform/platform.h"
#include "../model/platform/state_dump.h"
#include "../trace/ski_reader.h"
#include "../trace/vtrace.h"
#include "cli_util.h"
#include "commands.h"

static void replay_usage(FILE *out)
{
    fputs("Usage: vhptsim replay [OPTIONS] FILE\n"
          "\n"
          "Replays a vtrace file (docs/vtrace.md; '-' reads standard input) event by event\n"
          "through the machine TLB, the hardware VHPT walker and the KVM/ia64 VMM paths, then\n"
          "prints one 'name value' line per counter (docs/stats.md). No time is charged.\n"
          "A file not named '.vtr' is a Ski trace: a system-mode one (docs/ski-traces.md,\n"
          "\"System mode\") is replayed driven by the guest's own TLB operations, its references\n"
          "compared with the interruptions it shows (divergence.* counters).\n"
          "\n"
          "Input:\n"
          "  --from ski|vtrace     the input format (default: '.vtr' or '-' = vtrace, else ski)\n"
          "\n"
          "Output:\n"
          "  --dump-state          print the final VMM and machine TLB state of every vCPU\n"
          "                        (docs/state-dump.md) instead of the counters\n"
          "  --counters            with --dump-state, print the counters first, then the dump\n"
          "\n"
          "Model parameters (defaults are KVM/ia64's of April 2008, see docs/replay.md):\n"
          "  --vtlb-size BYTES     vTLB hash size: a power of two, 32K..1G (default 128K)\n"
          "  --vhpt-size BYTES     machine VHPT size: a power of two, 32K..1G (default 256K)\n"
          "  --page-shift N        host PAGE_SHIFT, an IA-64 page size (default 14 = 16 KiB)\n"
          "  --itc-entries N       machine instruction L2 TLB entries (default 128)\n"
          "  --dtc-entries N       machine data L2 TLB entries (default 128)\n"
          "  --ptce-count A,B      PAL ptc.e loop counts (default 1,1)\n"
          "  --p2m-offset ADDR     machine address of guest-physical 0 (default 0x1000000000)\n"
          "  --guest-mem BYTES     guest memory the dirty bitmap covers (default 4G)\n"
          "  --hash NAME           machine walker hash: ski (default)\n"
          "\n"
          "Machine TLB levels (Itanium 2 defaults, docs/machine-tlb.md):\n"
          "  --itlb-l1 SPEC        instruction L1 TLB (default 32:full:lru:12)\n"
          "  --itlb-l2 SPEC        instruction L2 TLB (default 128:full:lru:all)\n"
          "  --dtlb-l1 SPEC        data L1 TLB (default 32:full:lru:12)\n"
          "  --dtlb-l2 SPEC        data L2 TLB (default 128:full:lru:all)\n"
          "                        SPEC is ENTRIES[:WAYS[:POLICY[:PAGES]]]; omitted fields keep\n"
          "                        their default. WAYS: a count or 'full' (fully associative);\n"
          "                        POLICY: lru, nru or random; PAGES: 'all' (every page size,\n"
          "                        fully associative only) or the one page size held, as log2\n"
          "                        bytes (12 = 4 KiB; larger pages are held as pieces of it).\n"
          "                        An L1 of 0 entries is absent. The dump lists the L2 level.\n"
          "  --tlb-seed N          seed of random replacement (default 1)\n"
          "  --walker-hit P1,P2,P3 probabilities that the L1, L2, L3 cache serves the walker's\n"
          "                        VHPT read; memory serves the rest (default 0,1,0)\n"
          "  --walker-seed N       seed of the walker's level draws (default 1)\n"
          "\n"
          "  -h, --help            show this help\n"
          "\n"
          "BYTES takes a K, M, G, T, P or E suffix. Exit status: 0 success, 1 I/O failure,\n"
          "2 bad arguments or a bad trace (the message names FILE:LINE:COLUMN, or the byte\n"
          "offset in a Ski trace).\n",
          out);
}

enum {
    OPT_FROM = 255,
    OPT_DUMP = 256,
    OPT_COUNTERS,
    OPT_VTLB,
    OPT_VHPT,
    OPT_PAGE_SHIFT,
    OPT_ITC,
    OPT_DTC,
    OPT_PTCE,
    OPT_P2M,
    OPT_GUEST_MEM,
    OPT_HASH,
    OPT_ITLB_L1,
    OPT_ITLB_L2,
    OPT_DTLB_L1,
    OPT_DTLB_L2,
    OPT_TLB_SEED,
    OPT_WALKER_HIT,
    OPT_WALKER_SEED,
};

static const struct option replay_options[] = {
    {"from", required_argument, NULL, OPT_FROM},
    {"dump-state", no_argument, NULL, OPT_DUMP},
    {"counters", no_argument, NULL, OPT_COUNTERS},
    {"vtlb-size", required_argument, NULL, OPT_VTLB},
    {"vhpt-size", required_argument, NULL, OPT_VHPT},
    {"page-shift", required_argument, NULL, OPT_PAGE_SHIFT},
    {"itc-entries", required_argument, NULL, OPT_ITC},
    {"dtc-entries", required_argument, NULL, OPT_DTC},
    {"ptce-count", required_argument, NULL, OPT_PTCE},
    {"p2m-offset", required_argument, NULL, OPT_P2M},
    {"guest-mem", required_argument, NULL, OPT_GUEST_MEM},
    {"hash", required_argument, NULL, OPT_HASH},
    {"itlb-l1", required_argument, NULL, OPT_ITLB_L1},
    {"itlb-l2", required_argument, NULL, OPT_ITLB_L2},
    {"dtlb-l1", required_argument, NULL, OPT_DTLB_L1},
    {"dtlb-l2", required_argument, NULL, OPT_DTLB_L2},
    {"tlb-seed", required_argument, NULL, OPT_TLB_SEED},
    {"walker-hit", required_argument, NULL, OPT_WALKER_HIT},
    {"walker-seed", required_argument, NULL, OPT_WALKER_SEED},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* A table size in bytes -> log2; prints the error itself. */
static int table_shift(const char *opt, const char *arg, unsigned *shift)
{
    uint64_t bytes;
    if (cli_parse_bytes(arg, &bytes) != 0) {
        cli_error("%s: '%s' is not a size in bytes", opt, arg);
        return -1;
    }
    const int lg = cli_log2_exact(bytes);
    if (lg < 0) {
        cli_error("%s: %s bytes is not a power of two", opt, arg);
        return -1;
    }
    *shift = (unsigned)lg;
    return 0;
}

static int count_arg(const char *opt, const char *arg, uint32_t *out)
{
    uint64_t v;
    if (cli_parse_u64(arg, &v) != 0 || v == 0 || v > 1u << 20) {
        cli_error("%s: '%s' is not a count from 1 to %u", opt, arg, 1u << 20);
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

static int parse_ptce(const char *arg, struct vmm_params *vmm)
{
    char a[32], b[32];
    const char *comma = strchr(arg, ',');
    if (!comma || (size_t)(comma - arg) >= sizeof a || strlen(comma + 1) >= sizeof b)
        goto bad;
    memcpy(a, arg, (size_t)(comma - arg));
    a[comma - arg] = '\0';
    strcpy(b, comma + 1);
    if (count_arg("--ptce-count", a, &vmm->ptce_count[0]) != 0 || count_arg("--ptce-count", b, &vmm->ptce_count[1]) != 0)
        return -1;
    if ((uint64_t)vmm->ptce_count[0] * vmm->ptce_count[1] > VMM_PTCE_STEPS_MAX) {
        cli_error("--ptce-count: %s is more than %u ptc.e steps per flush", arg, VMM_PTCE_STEPS_MAX);
        return -1;
    }
    return 0;
bad:
    cli_error("--ptce-count: expected two counts 'A,B', got '%s'", arg);
    return -1;
}

/* ENTRIES[:WAYS[:POLICY[:PAGES]]] into *lp; omitted fields are left as they are. */
static int parse_level(const char *opt, const char *arg, struct tlb_level_params *lp)
{
    char buf[128];
    if (strlen(arg) >= sizeof buf) {
        cli_error("%s: '%s' is too long for ENTRIES[:WAYS[:POLICY[:PAGES]]]", opt, arg);
        return -1;
    }
    strcpy(buf, arg);
    char *field[5];
    unsigned nfield = 0;
    for (char *f = buf;; ) {
        if (nfield == 4) {
            cli_error("%s: '%s' has more than four fields (ENTRIES[:WAYS[:POLICY[:PAGES]]])", opt, arg);
            return -1;
        }
        field[nfield++] = f;
        char *colon = strchr(f, ':');
        if (!colon)
            break;
        *colon = '\0';
        f = colon + 1;
    }
    struct tlb_level_params p = *lp;
    uint64_t v;
    if (cli_parse_u64(field[0], &v) != 0 || v > TLB_LEVEL_MAX_ENTRIES) {
        cli_error("%s: entries '%s' is not a count from 0 to %u", opt, field[0], TLB_LEVEL_MAX_ENTRIES);
        return -1;
    }
    p.entries = (uint32_t)v;
    if (nfield > 1) {
        if (strcmp(field[1], "full") == 0) {
            p.ways = 0;
        } else if (cli_parse_u64(field[1], &v) != 0 || v > TLB_LEVEL_MAX_ENTRIES) {
            cli_error("%s: ways '%s' is neither a count nor 'full'", opt, field[1]);
            return -1;
        } else {
            p.ways = (uint32_t)v;
        }
    }
    if (nfield > 2 && tlb_policy_parse(field[2], &p.policy) != 0) {
        cli_error("%s: unknown replacement policy '%s' (known: lru, nru, random)", opt, field[2]);
        return -1;
    }
    if (nfield > 3) {
        if (strcmp(field[3], "all") == 0) {
            p.ps = 0;
        } else if (cli_parse_u64(field[3], &v) != 0 || v > 63 || !ia64_page_size_valid(v)) {
            cli_error("%s: pages '%s' is neither 'all' nor an IA-64 page size (12,13,14,16,18,20,22,24,26,28,32)",
                      opt, field[3]);
            return -1;
        } else {
            p.ps = (uint8_t)v;
        }
    }
    *lp = p;
    return 0;
}

/* P1,P2,P3: three probabilities. */
static int parse_walker_hit(const char *arg, struct walker_latency_params *w)
{
    double p[3];
    const char *s = arg;
    for (unsigned i = 0; i < 3; i++) {
        char *end;
        errno = 0;
        p[i] = strtod(s, &end);
        if (end == s || errno != 0 || !(p[i] >= 0.0 && p[i] <= 1.0) || *end != (i < 2 ? ',' : '\0')) {
            cli_error("--walker-hit: expected three probabilities from 0 to 1 'P1,P2,P3', got '%s'", arg);
            return -1;
        }
        s = end + 1;
    }
    if (p[0] + p[1] + p[2] > 1.0 + 1e-9) {
        cli_error("--walker-hit: the probabilities of L1, L2 and L3 add up to more than 1 in '%s'", arg);
        return -1;
    }
    for (unsigned i = 0; i < 3; i++)
        w->hit[i] = p[i];
    return 0;
}

static int parse_options(int argc, char **argv, struct platform_params *pp, bool *dump, bool *counters, int *ski)
{
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", replay_options, NULL)) != -1) {
        uint64_t v;
        switch (c) {
        case 'h':
            replay_usage(stdout);
            return 1;
        case OPT_FROM:
            if (strcmp(optarg, "ski") == 0 || strcmp(optarg, "vtrace") == 0) {
                *ski = optarg[0] == 's';
                break;
            }
            cli_error("--from: unknown format '%s' (known: ski, vtrace)", optarg);
            return -1;
        case OPT_DUMP:
            *dump = true;
            break;
        case OPT_COUNTERS:
            *counters = true;
            break;
        case OPT_VTLB:
            if (table_shift("--vtlb-size", optarg, &pp->vmm.vtlb_shift) != 0)
                return -1;
            break;
        case OPT_VHPT:
            if (table_shift("--vhpt-size", optarg, &pp->vmm.vhpt_shift) != 0)
                return -1;
            break;
        case OPT_PAGE_SHIFT:
            if (cli_parse_u64(optarg, &v) != 0 || v > 63 || !ia64_page_size_valid(v)) {
                cli_error("--page-shift: '%s' is not an IA-64 page size (12,13,14,16,18,20,22,24,26,28,32)", optarg);
                return -1;
            }
            pp->vmm.page_shift = (unsigned)v;
            break;
        case OPT_ITC: /* alias of the L2 size */
            if (count_arg("--itc-entries", optarg, &pp->machine.itlb.l2.entries) != 0)
                return -1;
            break;
        case OPT_DTC:
            if (count_arg("--dtc-entries", optarg, &pp->machine.dtlb.l2.entries) != 0)
                return -1;
            break;
        case OPT_ITLB_L1:
            if (parse_level("--itlb-l1", optarg, &pp->machine.itlb.l1) != 0)
                return -1;
            break;
        case OPT_ITLB_L2:
            if (parse_level("--itlb-l2", optarg, &pp->machine.itlb.l2) != 0)
                return -1;
            break;
        case OPT_DTLB_L1:
            if (parse_level("--dtlb-l1", optarg, &pp->machine.dtlb.l1) != 0)
                return -1;
            break;
        case OPT_DTLB_L2:
            if (parse_level("--dtlb-l2", optarg, &pp->machine.dtlb.l2) != 0)
                return -1;
            break;
        case OPT_TLB_SEED:
            if (cli_parse_u64(optarg, &pp->machine.tlb_seed) != 0) {
                cli_error("--tlb-seed: '%s' is not a number", optarg);
                return -1;
            }
            break;
        case OPT_WALKER_HIT:
            if (parse_walker_hit(optarg, &pp->machine.walker) != 0)
                return -1;
            break;
        case OPT_WALKER_SEED:
            if (cli_parse_u64(optarg, &pp->machine.walker.seed) != 0) {
                cli_error("--walker-seed: '%s' is not a number", optarg);
                return -1;
            }
            break;
        case OPT_PTCE:
            if (parse_ptce(optarg, &pp->vmm) != 0)
                return -1;
            break;
        case OPT_P2M:
            if (cli_parse_u64(optarg, &pp->vmm.p2m_mem_offset) != 0) {
                cli_error("--p2m-offset: '%s' is not an address", optarg);
                return -1;
            }
            break;
        case OPT_GUEST_MEM:
            if (cli_parse_bytes(optarg, &pp->vmm.guest_mem_bytes) != 0) {
                cli_error("--guest-mem: '%s' is not a size in bytes", optarg);
                return -1;
            }
            break;
        case OPT_HASH:
            if (ia64_lvhpt_hash_parse(optarg, &pp->machine.hash) != 0) {
                cli_error("--hash: unknown walker hash '%s' (known: ski)", optarg);
                return -1;
            }
            break;
        case '?':
        default:
            if (optopt)
                cli_error("replay: unknown option '-%c' (try 'vhptsim replay --help')", optopt);
            else
                cli_error("replay: unknown or incomplete option '%s' (try 'vhptsim replay --help')",
                          argv[optind - 1]);
            return -1;
        }
    }
    return 0;
}

/* The trace being replayed: a vtrace file or a Ski trace. */
struct replay_source {
    struct vtrace_reader *vt;
    struct ski_reader *ski;
};

/* 1 event, 0 end, -1 error (printed); *status set on error. */
static int source_next(struct replay_source *s, struct guest_event *ev, int *status)
{
    const int rc = s->vt ? vtrace_next(s->vt, ev) : ski_next(s->ski, ev);
    if (rc < 0) {
        fprintf(stderr, "%s\n", s->vt ? vtrace_reader_error(s->vt) : ski_reader_error(s->ski));
        *status = s->ski && ski_reader_io_error(s->ski) ? EXIT_RUNTIME : EXIT_USAGE;
    }
    return rc;
}

static void source_close(struct replay_source *s)
{
    if (s->vt)
        vtrace_close(s->vt);
    ski_close(s->ski);
}

int cmd_replay(int argc, char **argv)
{
    struct platform_params pp;
    platform_params_default(&pp);
    bool dump = false, counters = false;
    int ski = -1; /* -1: from the name */
    const int rc = parse_options(argc, argv, &pp, &dump, &counters, &ski);
    if (rc != 0)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (optind != argc - 1) {
        cli_error("replay: expected one trace file (try 'vhptsim replay --help')");
        return EXIT_USAGE;
    }
    const char *bad = platform_params_check(&pp);
    if (bad) {
        cli_error("replay: %s", bad);
        return EXIT_USAGE;
    }
    const char *path = argv[optind];
    if (ski < 0) {
        const size_t n = strlen(path);
        ski = strcmp(path, "-") != 0 && !(n >= 4 && strcmp(path + n - 4, ".vtr") == 0);
    }

    char err[512];
    struct replay_source src = {NULL, NULL};
    if (ski)
        src.ski = ski_open(path, SKI_IFETCH_BUNDLE, err, sizeof err);
    else
        src.vt = vtrace_open(path, err, sizeof err);
    if (!src.vt && !src.ski) {
        cli_error("%s", err);
        return EXIT_USAGE;
    }
    if (src.ski && !ski_reader_system(src.ski)) {
        cli_error("%s: a user-mode Ski trace carries no TLB operations: replay it through the guest OS model "
                  "('vhptsim run', source: ski; docs/ski-traces.md)", path);
        source_close(&src);
        return EXIT_USAGE;
    }
    int status = EXIT_OK;
    struct guest_event ev;
    int got = source_next(&src, &ev, &status); /* the vcpus directive precedes the first event */
    pp.nr_vcpus = src.vt ? vtrace_vcpus(src.vt) : 1;
    struct platform p;
    if (got < 0) {
        source_close(&src);
        return status;
    }
    if (platform_init(&p, &pp, err, sizeof err) != 0) {
        cli_error("replay: %s", err);
        source_close(&src);
        return EXIT_RUNTIME;
    }
    /* the listing then has cpuN.instructions (a Ski trace counts its CAPSULEs; a vtrace with
     * insns_per_ifetch N), and the trace.* / divergence.* counters for a system-mode Ski trace */
    p.counts_insns = src.ski ? 1 : vtrace_insns_per_ifetch(src.vt) > 0;
    p.traced = src.ski != NULL; /* user-mode Ski traces were refused above */
    while (got > 0) {
        if (ev.cpu >= p.nr_vcpus) {
            fprintf(stderr, "%s: offset %llu: error: processor %u: system-mode Ski traces of one processor only\n",
                    path, (unsigned long long)ski_reader_offset(src.ski), (unsigned)ev.cpu);
            status = EXIT_USAGE;
            break;
        }
        struct ref_result res;
        platform_event(&p, &ev, &res);
        got = source_next(&src, &ev, &status);
    }
    source_close(&src);
    if (status != EXIT_OK) {
        platform_free(&p);
        return status;
    }
    platform_finish(&p);

    if (!dump || counters)
        if (platform_counters_print(&p, stdout) != 0)
            status = EXIT_RUNTIME;
    if (dump && platform_dump_state(&p, stdout) != 0)
        status = EXIT_RUNTIME;
    if (fflush(stdout) != 0)
        status = EXIT_RUNTIME;
    if (status != EXIT_OK)
        cli_error("replay: cannot write the output");
    platform_free(&p);
    return status;
}
