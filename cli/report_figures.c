/* report_figures.c - see report_figures.h. */
#include "report_figures.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../config/run_config.h"
#include "../model/util/num_parse.h"
#include "../model/util/input_file.h"
#include "report_gnuplot.h"

#define VARS_MAX 4096

const char *report_stat_unit(const char *stat)
{
    static const struct {
        const char *suffix, *unit;
    } units[] = {
        {"hit_rate", "hits / lookups"},         {"miss_rate", "misses / lookups"},
        {"mpki", "misses / 1000 instructions"}, {"mpkr", "misses / 1000 references"},
        {"time_ps", "picoseconds"},             {"entries", "entries"},
    };
    const size_t len = strlen(stat);
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        const size_t sl = strlen(units[i].suffix);
        if (len >= sl && strcmp(stat + len - sl, units[i].suffix) == 0)
            return units[i].unit;
    }
    const size_t n = strlen(stat);
    return strncmp(stat, "cycles.", 7) == 0 || strstr(stat, ".cycles.") || (n > 7 && strcmp(stat + n - 7, ".cycles") == 0)
               ? "cycles"
               : "count";
}

static int add_figure(struct report_figures *out, enum figure_kind kind, const char *base, size_t point,
                      const char *caption)
{
    if (out->n == out->cap) {
        const size_t cap = out->cap ? out->cap * 2 : 16;
        struct report_figure *f = realloc(out->f, cap * sizeof *f);
        if (!f)
            return -1;
        out->f = f;
        out->cap = cap;
    }
    struct report_figure *f = &out->f[out->n++];
    f->kind = kind;
    f->point = point;
    snprintf(f->base, sizeof f->base, "%s", base);
    snprintf(f->caption, sizeof f->caption, "%s", caption);
    return 0;
}

/* Draws the figure (gnuplot_draw) and lists it: 1, or -1 with err. */
static int draw(struct report_figures *out, enum figure_kind kind, size_t point, const char *caption, struct result_dir *dir,
                const char *base, const char *script, const char *vars, unsigned width, unsigned height, char *err,
                size_t errlen)
{
    for (int i = 0; i < 2; i++) { /* the figure's files are the result's: listed before gnuplot writes them */
        char name[RESULT_NAME_MAX];
        snprintf(name, sizeof name, "%s.%s", base, i ? "svg" : "png");
        if (result_dir_add(dir, name) != 0) {
            snprintf(err, errlen, "cannot add %s to the report: %s", name,
                     errno == ENOSPC ? "too many files" : strerror(errno));
            return -1;
        }
    }
    if (gnuplot_draw(dir->tmp, base, script, vars, width, height, err, errlen) != 0)
        return -1;
    if (add_figure(out, kind, base, point, caption) != 0) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    return 1;
}

static void add_note(struct report_figures *out, const char *note)
{
    if (out->n_notes < sizeof out->notes / sizeof out->notes[0])
        snprintf(out->notes[out->n_notes++], sizeof out->notes[0], "%s", note);
}

static FILE *open_data(struct result_dir *dir, const char *base)
{
    char name[RESULT_NAME_MAX];
    snprintf(name, sizeof name, "%s.dat", base);
    return result_dir_open(dir, name);
}

static const char *title_of(const struct report_data *r) { return r->spec.title[0] ? r->spec.title : r->name; }

/* A left margin (characters) that holds the first drawn point's label, slanted by 35 degrees and
 * ending at its bar (cos 35 = 0.82 of its length lies left of the bar; gnuplot's own margin, about
 * 10, is kept where that is enough; at most 60 for the longest names). */
static double bar_label_margin(const struct report_data *r)
{
    for (size_t i = 0; i < r->n_points; i++)
        if (r->points[i].ok) {
            const double m = ceil(0.82 * (double)strlen(r->points[i].name)) - 2;
            return m < 10 ? 10 : m > 60 ? 60 : m;
        }
    return 10;
}

/* A point's name as the first column of a data row: quoted, so that gnuplot reads it as one
 * column whatever it holds (point and experiment names never hold a '"'). */
static void put_point_name(FILE *dat, const struct report_point *p) { fprintf(dat, "\"%s\"", p->name); }

/* Sum over vCPUs of cpuN.<stat>; 0 when no vCPU has it. */
static double cpu_sum(const struct report_data *r, const struct report_point *p, const char *stat)
{
    char name[256];
    double sum = 0, v;
    for (unsigned cpu = 0; cpu < 64; cpu++) {
        snprintf(name, sizeof name, "cpu%u.%s", cpu, stat);
        if (report_number(r, p, name, &v) == 0)
            sum += v;
    }
    return sum;
}

/* ---- y against x ----------------------------------------------------------------------- */

/* Numeric positions of the x labels (sizes take K/M/G), or 0 when one is not a number. */
static int numeric_axis(const struct sweep_axis *a, double *pos)
{
    for (size_t i = 0; i < a->n; i++) {
        uint64_t u;
        char *end;
        if (num_parse_u64(a->labels[i], NUM_SIZE_SUFFIX, &u) == NUM_OK)
            pos[i] = (double)u;
        else if ((pos[i] = strtod(a->labels[i], &end)), *end || end == a->labels[i])
            return 0;
    }
    return 1;
}

static int spans(double lo, double hi, double ratio) { return lo > 0 && hi / lo >= ratio; }

static int draw_sweep(const struct report_data *r, struct result_dir *dir, size_t y, struct report_figures *out, char *err,
                      size_t errlen)
{
    const struct sweep *s = r->sweep;
    const char *stat = r->spec.y[y];
    size_t ax = 0, seed = SWEEP_MAX_AXES;
    for (size_t a = 0; a < s->n_axes; a++) {
        if (strcmp(s->axis[a].key, r->spec.x) == 0)
            ax = a;
        if (strcmp(s->axis[a].key, "seed") == 0)
            seed = a;
    }
    if (seed == ax)
        seed = SWEEP_MAX_AXES;
    /* a series per combination of the axes other than x and seed */
    size_t n_series = 1;
    for (size_t a = 0; a < s->n_axes; a++)
        if (a != ax && a != seed)
            n_series *= s->axis[a].n;
    const struct sweep_axis *xa = &s->axis[ax];
    double *pos = calloc(xa->n, sizeof *pos);
    if (!pos)
        return snprintf(err, errlen, "out of memory"), -1;
    const int numeric = numeric_axis(xa, pos);
    if (!numeric)
        for (size_t i = 0; i < xa->n; i++)
            pos[i] = (double)i;
    char base[160];
    snprintf(base, sizeof base, "y-%s", stat);
    FILE *dat = open_data(dir, base);
    if (!dat) {
        free(pos);
        return snprintf(err, errlen, "cannot write %s.dat", base), -1;
    }
    size_t drawn = 0;
    int per_cpu_mean = 0;
    double lo = INFINITY, hi = -INFINITY, xlo = INFINITY, xhi = -INFINITY;
    /* one pass over the points: each adds to the cell (series, x) it belongs to (the seeds of a
     * cell are its samples), so a study of many points is drawn in time linear in them */
    struct cell {
        double sum, mn, mx;
        size_t n;
        const struct report_point *any;
    } *cells = calloc(n_series * xa->n, sizeof *cells);
    if (!cells) {
        free(pos);
        fclose(dat);
        return snprintf(err, errlen, "out of memory"), -1;
    }
    for (size_t i = 0; i < r->n_points; i++) {
        const struct report_point *p = &r->points[i];
        size_t code = 0;
        for (size_t a = 0; a < s->n_axes; a++)
            if (a != ax && a != seed)
                code = code * s->axis[a].n + p->idx[a];
        double v;
        if (!p->ok || report_stat(r, p, stat, &v, &per_cpu_mean) != 0)
            continue;
        struct cell *c = &cells[code * xa->n + p->idx[ax]];
        c->mn = c->n && c->mn < v ? c->mn : v;
        c->mx = c->n && c->mx > v ? c->mx : v;
        c->sum += v;
        c->n++;
        c->any = p;
    }
    for (size_t ser = 0; ser < n_series; ser++) {
        int started = 0;
        for (size_t xi = 0; xi < xa->n; xi++) {
            const struct cell *c = &cells[ser * xa->n + xi];
            const double sum = c->sum, mn = c->mn, mx = c->mx;
            const size_t n = c->n;
            const struct report_point *any = c->any;
            if (!n)
                continue;
            if (!started) {
                char title[SWEEP_NAME_MAX + 1] = "";
                for (size_t a = 0, at = 0; a < s->n_axes; a++)
                    if (a != ax && a != seed)
                        at += (size_t)snprintf(title + at, sizeof title - (at < sizeof title ? at : sizeof title), "%s%s=%s",
                                               at ? "," : "", s->axis[a].short_key, s->axis[a].labels[any->idx[a]]);
                fprintf(dat, "%s\"%s\" x label mean min max\n", drawn ? "\n\n" : "", title[0] ? title : stat);
                started = 1;
                drawn++;
            }
            fprintf(dat, "%.17g %s %.17g %.17g %.17g\n", pos[xi], xa->labels[xi], sum / (double)n, mn, mx);
            lo = mn < lo ? mn : lo;
            hi = mx > hi ? mx : hi;
            xlo = pos[xi] < xlo ? pos[xi] : xlo;
            xhi = pos[xi] > xhi ? pos[xi] : xhi;
        }
    }
    free(pos);
    free(cells);
    if (fclose(dat) != 0)
        return snprintf(err, errlen, "cannot write %s.dat", base), -1;
    char caption[400];
    if (!drawn) {
        snprintf(caption, sizeof caption, "%s: no point has this statistic (docs/stats.md lists them)", stat);
        add_note(out, caption);
        return 0;
    }
    char vars[VARS_MAX] = "", text[512];
    snprintf(text, sizeof text, "%s.dat", base);
    gnuplot_var(vars, sizeof vars, "data", text);
    gnuplot_var_num(vars, sizeof vars, "nseries", (double)drawn);
    snprintf(text, sizeof text, "%s: %s%s", title_of(r), stat, per_cpu_mean ? " (mean over vCPUs)" : "");
    gnuplot_var(vars, sizeof vars, "title_", text);
    snprintf(text, sizeof text, "%s%s", xa->key, run_config_key_in_bytes(xa->key) ? " (bytes)" : "");
    gnuplot_var(vars, sizeof vars, "xlabel_", text);
    snprintf(text, sizeof text, "%s (%s)", stat, report_stat_unit(stat));
    gnuplot_var(vars, sizeof vars, "ylabel_", text);
    gnuplot_var_num(vars, sizeof vars, "logx", numeric && spans(xlo, xhi, 10));
    gnuplot_var_num(vars, sizeof vars, "xlo", xlo);
    gnuplot_var_num(vars, sizeof vars, "xhi", xhi);
    gnuplot_var_num(vars, sizeof vars, "logy", spans(lo, hi, 100));
    gnuplot_var_num(vars, sizeof vars, "fraction", strstr(report_stat_unit(stat), "/ lookups") != NULL);
    snprintf(caption, sizeof caption, "%s against %s%s%s", stat, xa->key,
             seed < SWEEP_MAX_AXES ? ": mean over seeds, bars from the minimum to the maximum" : "",
             per_cpu_mean ? "; with several vCPUs, the mean of the vCPUs' values" : "");
    return draw(out, FIG_SWEEP, 0, caption, dir, base, "sweep", vars, 900, 520, err, errlen);
}

/* A bar figure of more points than REPORT_BARS_MAX is left out, and the index says where its
 * numbers are: 1 then, else 0. */
static int too_many_bars(struct report_figures *out, const char *figure, size_t points, const char *stats)
{
    if (points <= REPORT_BARS_MAX)
        return 0;
    char note[200];
    snprintf(note, sizeof note, "%s: %zu points, more than the %d bars a figure shows (summary.csv has every %s)",
             figure, points, REPORT_BARS_MAX, stats);
    add_note(out, note);
    return 1;
}

/* ---- cycle breakdown ------------------------------------------------------------------- */

#define CYCLE_ROWS_SHOWN 7

static int draw_cycles(const struct report_data *r, struct result_dir *dir, struct report_figures *out, char *err, size_t errlen)
{
    /* the cost rows: every "cpu0.cycles.<row>" name but the total */
    const char *rows[64];
    double total[64];
    size_t n_rows = 0;
    for (size_t k = 0; k < r->n_stats && n_rows < 64; k++) {
        const char *n = r->stats[k];
        if (strncmp(n, "cpu0.cycles.", 12) == 0 && strcmp(n + 12, "total") != 0) {
            rows[n_rows] = n + 5; /* "cycles.<row>" */
            total[n_rows++] = 0;
        }
    }
    size_t shown = 0;
    for (size_t i = 0; i < r->n_points; i++) {
        if (!r->points[i].ok || cpu_sum(r, &r->points[i], "refs") <= 0)
            continue;
        shown++;
        for (size_t k = 0; k < n_rows; k++)
            total[k] += cpu_sum(r, &r->points[i], rows[k]) / cpu_sum(r, &r->points[i], "refs");
    }
    /* the largest rows first (a selection sort of indices: a few dozen rows) */
    size_t order[64];
    for (size_t k = 0; k < n_rows; k++)
        order[k] = k;
    for (size_t a = 0; a < n_rows; a++)
        for (size_t b = a + 1; b < n_rows; b++)
            if (total[order[b]] > total[order[a]])
                order[a] ^= order[b], order[b] ^= order[a], order[a] ^= order[b];
    size_t n_big = 0;
    while (n_big < n_rows && n_big < CYCLE_ROWS_SHOWN && total[order[n_big]] > 0)
        n_big++;
    int other = 0;
    for (size_t k = n_big; k < n_rows; k++)
        other |= total[order[k]] > 0;
    if (!shown || !n_big) {
        add_note(out, "cycle breakdown: no point has cycles (a replay, or no complete point)");
        return 0;
    }
    if (too_many_bars(out, "cycle breakdown", shown, "cpuN.cycles.<row>"))
        return 0;
    FILE *dat = open_data(dir, "cycles");
    if (!dat)
        return snprintf(err, errlen, "cannot write cycles.dat"), -1;
    fputs("point", dat);
    for (size_t k = 0; k < n_big; k++)
        fprintf(dat, " %s", rows[order[k]] + 7);
    fputs(other ? " other\n" : "\n", dat);
    for (size_t i = 0; i < r->n_points; i++) {
        const struct report_point *p = &r->points[i];
        const double refs = p->ok ? cpu_sum(r, p, "refs") : 0;
        if (refs <= 0)
            continue;
        put_point_name(dat, p);
        double rest = 0;
        for (size_t k = 0; k < n_rows; k++) {
            const double v = cpu_sum(r, p, rows[order[k]]) / refs;
            if (k < n_big)
                fprintf(dat, " %.9g", v);
            else
                rest += v;
        }
        if (other)
            fprintf(dat, " %.9g", rest);
        fputc('\n', dat);
    }
    if (fclose(dat) != 0)
        return snprintf(err, errlen, "cannot write cycles.dat"), -1;
    char vars[VARS_MAX] = "", text[300];
    gnuplot_var(vars, sizeof vars, "data", "cycles.dat");
    gnuplot_var_num(vars, sizeof vars, "ncols", (double)(n_big + 1 + (size_t)other));
    snprintf(text, sizeof text, "%s: where the cycles go", title_of(r));
    gnuplot_var(vars, sizeof vars, "title_", text);
    gnuplot_var(vars, sizeof vars, "ylabel_", "cycles per reference (all vCPUs)");
    gnuplot_var_num(vars, sizeof vars, "lmarg", bar_label_margin(r));
    const unsigned width = shown > 12 ? (unsigned)(300 + 45 * shown) : 860;
    return draw(out, FIG_CYCLES, 0,
                "cycles per reference by cost row (docs/costs.md), summed over vCPUs; the largest rows, the rest as 'other'",
                dir, "cycles", "cycles", vars, width, 560, err, errlen);
}

/* ---- purge cost ---------------------------------------------------------------------------- */

#define PURGE_PANELS 3

static int draw_purges(const struct report_data *r, struct result_dir *dir, struct report_figures *out, char *err, size_t errlen)
{
    static const char *const ops[] = {"ptc_l", "ptc_g", "ptc_ga", "ptc_e", "ptr_i", "ptr_d", "remote_purge", "remote_flush"};
    enum { N_OPS = sizeof ops / sizeof ops[0] };
    int used[N_OPS] = {0};
    size_t n_used = 0;
    char name[64];
    for (size_t o = 0; o < N_OPS; o++) {
        snprintf(name, sizeof name, "vmm.purge.%s.count", ops[o]);
        for (size_t i = 0; i < r->n_points && !used[o]; i++)
            used[o] = r->points[i].ok && cpu_sum(r, &r->points[i], name) > 0;
        n_used += (size_t)used[o];
    }
    if (!n_used) {
        add_note(out, "purge cost: no guest purge (ptc.l, ptc.g, ptc.ga, ptc.e, ptr) ran in any point");
        return 0;
    }
    size_t n_ok = 0;
    for (size_t i = 0; i < r->n_points; i++)
        n_ok += (size_t)r->points[i].ok;
    if (too_many_bars(out, "purge cost", n_ok, "vmm.purge.<op>.*"))
        return 0;
    /* a panel per figure of one operation: its cycles, the entries it touched, its machine purges */
    static const char *const what[PURGE_PANELS] = {"cycles", "entries", "machine_purges"};
    int logy[PURGE_PANELS];
    double lo[PURGE_PANELS];
    for (int w = 0; w < PURGE_PANELS; w++) {
        char file[32];
        snprintf(file, sizeof file, "purges-%d", w + 1);
        FILE *dat = open_data(dir, file);
        if (!dat)
            return snprintf(err, errlen, "cannot write %s.dat", file), -1;
        fputs("point", dat);
        for (size_t o = 0; o < N_OPS; o++)
            if (used[o])
                fprintf(dat, " %s", ops[o]);
        fputc('\n', dat);
        double hi = 0;
        lo[w] = INFINITY;
        for (size_t i = 0; i < r->n_points; i++) {
            const struct report_point *p = &r->points[i];
            if (!p->ok)
                continue;
            put_point_name(dat, p);
            for (size_t o = 0; o < N_OPS; o++) {
                if (!used[o])
                    continue;
                snprintf(name, sizeof name, "vmm.purge.%s.count", ops[o]);
                const double count = cpu_sum(r, p, name);
                snprintf(name, sizeof name, "vmm.purge.%s.%s", ops[o], what[w]);
                const double v = count > 0 ? cpu_sum(r, p, name) / count : -1;
                if (v < 0) {
                    fputs(" ?", dat);
                    continue;
                }
                fprintf(dat, " %.9g", v);
                lo[w] = v > 0 && v < lo[w] ? v : lo[w];
                hi = v > hi ? v : hi;
            }
            fputc('\n', dat);
        }
        logy[w] = spans(lo[w], hi, 100);
        if (fclose(dat) != 0)
            return snprintf(err, errlen, "cannot write %s.dat", file), -1;
    }
    char vars[VARS_MAX] = "", text[300];
    for (int w = 0; w < PURGE_PANELS; w++) {
        char var[16], file[32];
        snprintf(var, sizeof var, "data%d", w + 1);
        snprintf(file, sizeof file, "purges-%d.dat", w + 1);
        gnuplot_var(vars, sizeof vars, var, file);
        snprintf(var, sizeof var, "logy%d", w + 1);
        gnuplot_var_num(vars, sizeof vars, var, logy[w]);
        snprintf(var, sizeof var, "ylo%d", w + 1);
        gnuplot_var_num(vars, sizeof vars, var, logy[w] ? pow(10, floor(log10(lo[w])) - 1) : 0);
    }
    gnuplot_var_num(vars, sizeof vars, "ncols", (double)(n_used + 1));
    gnuplot_var_num(vars, sizeof vars, "lmarg", bar_label_margin(r));
    snprintf(text, sizeof text, "%s: what one guest purge costs the VMM", title_of(r));
    gnuplot_var(vars, sizeof vars, "title_", text);
    const unsigned width = r->n_points > 12 ? (unsigned)(300 + 45 * r->n_points) : 900;
    return draw(out, FIG_PURGES, 0,
                "per emulated purge, summed over vCPUs: the cycles charged from its exit to the re-entry "
                "(vmm.purge.<op>.cycles / .count, docs/stats.md), the vTLB/VHPT entries it touched (probes and "
                "rewrites, .entries / .count) and the machine ptc.l/ptc.e steps it issued",
                dir, "purges", "purge", vars, width, 1080, err, errlen);
}

/* A round tic step (1, 2 or 5 times a power of ten) giving 3 to 6 tics up to max. */
static double tic_step(double max)
{
    if (!(max > 0))
        return 1;
    const double raw = max / 6, mag = pow(10, floor(log10(raw)));
    static const double steps[] = {1, 2, 5, 10};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (steps[i] * mag >= raw)
            return steps[i] * mag;
    return 10 * mag;
}

/* ---- miss rates over time ------------------------------------------------------------------- */

static int draw_timeline(const struct report_data *r, struct result_dir *dir, size_t point, struct report_figures *out,
                         char *err, size_t errlen)
{
    const struct report_point *p = &r->points[point];
    char path[sizeof p->dir + 32];
    snprintf(path, sizeof path, "%s/timeseries.csv", p->dir);
    if (access(path, F_OK) != 0)
        return 2; /* run.interval 0: no time series */
    char *csv = input_file_read(path, REPORT_FILE_MAX, NULL, err, errlen);
    if (!csv)
        return -1;
    /* the columns, by name (the header) */
    static const char *const want[] = {"cpu", "refs", "dtlb_l1_miss_rate", "dtlb_l2_miss_rate", "walker_miss_rate",
                                       "vtlb_miss_rate"};
    enum { N_WANT = sizeof want / sizeof want[0] };
    int col[N_WANT];
    for (size_t w = 0; w < N_WANT; w++)
        col[w] = -1;
    char *save = NULL, *line = strtok_r(csv, "\n", &save);
    int ncol = 0;
    for (char *f = line, *next; f; f = next, ncol++) {
        next = strchr(f, ',');
        if (next)
            *next++ = '\0';
        for (size_t w = 0; w < N_WANT; w++)
            if (strcmp(f, want[w]) == 0)
                col[w] = ncol;
    }
    for (size_t w = 0; w < N_WANT; w++)
        if (col[w] < 0) {
            free(csv);
            snprintf(err, errlen, "%s: no column '%s'", path, want[w]);
            return -1;
        }
    /* rows grouped by vCPU: one data block each */
    char *rows = NULL;
    size_t rows_len = 0;
    FILE *mem = open_memstream(&rows, &rows_len);
    unsigned max_cpu = 0, nrows = 0;
    int defined[N_WANT] = {0}; /* a column with at least one rate (an interval without lookups has none) */
    double max_refs = 0;
    unsigned long *cpu_of = NULL;
    char **fields = calloc((size_t)ncol, sizeof *fields);
    if (!mem || !fields) {
        free(csv);
        free(fields);
        if (mem)
            fclose(mem);
        free(rows);
        return snprintf(err, errlen, "out of memory"), -1;
    }
    while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
        int n = 0;
        for (char *f = line, *next; f && n < ncol; f = next) {
            next = strchr(f, ',');
            if (next)
                *next++ = '\0';
            fields[n++] = f;
        }
        if (n < ncol)
            continue;
        const unsigned long cpu = strtoul(fields[col[0]], NULL, 10);
        unsigned long *grown = realloc(cpu_of, (nrows + 1) * sizeof *cpu_of);
        if (!grown)
            break;
        cpu_of = grown;
        cpu_of[nrows++] = cpu;
        max_cpu = cpu > max_cpu ? (unsigned)cpu : max_cpu;
        fprintf(mem, "%lu", cpu);
        for (size_t w = 1; w < N_WANT; w++) {
            defined[w] |= fields[col[w]][0] != '\0';
            fprintf(mem, " %s", fields[col[w]][0] ? fields[col[w]] : "?");
        }
        const double refs = strtod(fields[col[1]], NULL);
        max_refs = refs > max_refs ? refs : max_refs;
        fputc('\n', mem);
    }
    fclose(mem);
    free(fields);
    int rc = 3; /* no row: nothing was measured */
    if (nrows) {
        char base[32];
        if (r->is_study)
            snprintf(base, sizeof base, "timeline-%zu", point + 1);
        else
            snprintf(base, sizeof base, "timeline");
        FILE *dat = open_data(dir, base);
        unsigned blocks = 0;
        for (unsigned cpu = 0; dat && cpu <= max_cpu; cpu++) {
            int any = 0;
            const char *row = rows;
            for (unsigned i = 0; i < nrows; i++) {
                const char *end = strchr(row, '\n');
                if (cpu_of[i] == cpu) {
                    if (!any && blocks)
                        fputs("\n\n", dat);
                    any = 1;
                    const char *rest = strchr(row, ' '); /* drop the cpu column */
                    fprintf(dat, "%.*s\n", (int)(end - rest - 1), rest + 1);
                }
                row = end + 1;
            }
            blocks += (unsigned)any;
            if (!any) /* a vCPU without rows would shift the blocks: stop at the first gap */
                break;
        }
        if (!dat || fclose(dat) != 0) {
            rc = -1;
            snprintf(err, errlen, "cannot write %s.dat", base);
        } else {
            char vars[VARS_MAX] = "", text[400], data[48];
            snprintf(data, sizeof data, "%s.dat", base);
            gnuplot_var(vars, sizeof vars, "data", data);
            gnuplot_var_num(vars, sizeof vars, "ncpu", blocks);
            gnuplot_var_num(vars, sizeof vars, "xmax", max_refs > 0 ? max_refs : 1);
            gnuplot_var_num(vars, sizeof vars, "xstep", tic_step(max_refs));
            for (size_t w = 2; w < N_WANT; w++) { /* has2..has5: the panel has a line to draw */
                char var[8];
                snprintf(var, sizeof var, "has%zu", w);
                gnuplot_var_num(vars, sizeof vars, var, defined[w]);
            }
            snprintf(text, sizeof text, "%s: miss rates over time%s%s", title_of(r), r->is_study ? ", " : "",
                     r->is_study ? p->name : "");
            gnuplot_var(vars, sizeof vars, "title_", text);
            snprintf(text, sizeof text, "miss rates per interval (timeseries.csv)%s%s, a line per vCPU",
                     r->is_study ? " of " : "", r->is_study ? p->name : "");
            rc = draw(out, FIG_TIMELINE, point, text, dir, base, "miss_rates", vars, 1000, 700, err, errlen);
        }
    }
    free(cpu_of);
    free(rows);
    free(csv);
    return rc;
}

int report_draw_all(const struct report_data *r, struct result_dir *dir, struct report_figures *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (r->is_study)
        for (size_t y = 0; y < r->spec.n_y; y++)
            if (draw_sweep(r, dir, y, out, err, errlen) < 0)
                return -1;
    if (draw_cycles(r, dir, out, err, errlen) < 0 || draw_purges(r, dir, out, err, errlen) < 0)
        return -1;
    /* miss rates over time: the first REPORT_TIMELINES_MAX complete points; the index says which
     * have none and why */
    size_t drawn = 0, no_series = 0, no_rows = 0, left_out = 0;
    for (size_t i = 0; i < r->n_points; i++) {
        if (!r->points[i].ok)
            continue;
        if (drawn == REPORT_TIMELINES_MAX) {
            left_out++;
            continue;
        }
        const int rc = draw_timeline(r, dir, i, out, err, errlen);
        if (rc < 0)
            return -1;
        drawn += rc == 1;
        no_series += rc == 2;
        no_rows += rc == 3;
    }
    char note[300];
    if (no_series) {
        if (r->is_study)
            snprintf(note, sizeof note, "miss rates over time: %zu point%s no timeseries.csv (run.interval is 0)",
                     no_series, no_series == 1 ? " has" : "s have");
        else
            snprintf(note, sizeof note, "miss rates over time: the run has no timeseries.csv (run.interval is 0)");
        add_note(out, note);
    }
    if (no_rows) {
        if (r->is_study)
            snprintf(note, sizeof note, "miss rates over time: %zu point%s no interval after the warm-up", no_rows,
                     no_rows == 1 ? " has" : "s have");
        else
            snprintf(note, sizeof note, "miss rates over time: the run has no interval after the warm-up");
        add_note(out, note);
    }
    if (left_out) {
        snprintf(note, sizeof note, "miss rates over time: drawn for the first %d complete points; %zu more have a "
                 "timeseries.csv of their own", REPORT_TIMELINES_MAX, left_out);
        add_note(out, note);
    }
    return 0;
}

void report_figures_free(struct report_figures *f)
{
    free(f->f);
    memset(f, 0, sizeof *f);
}
