/* report_index.c - index.html and index.md of a report: the study's description, its swept
 * keys, a table of its points (sortable in the page), every figure with its caption, and links
 * to each point's files. */
#include "report_index.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void html_text(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        default: fputc(*s, out);
        }
    }
}

/* A path segment of a link: a point's name ('=' and ',' are allowed in URLs). */
static void url_segment(FILE *out, const char *s)
{
    for (; *s; s++) {
        const unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("-._~=,+", c))
            fputc(c, out);
        else
            fprintf(out, "%%%02X", c);
    }
}

/* The link from report/ to a point's directory ("../<point>/" or, for one run, "../"). */
static void point_link(FILE *out, const struct report_data *r, const struct report_point *p, const char *file)
{
    fputs("../", out);
    if (r->is_study) {
        url_segment(out, p->name);
        fputc('/', out);
    }
    fputs(file, out);
}

static const char *title_of(const struct report_data *r) { return r->spec.title[0] ? r->spec.title : r->name; }

/* Points of each status: [0] complete, [1] failed, [2] not run. */
static void count_status(const struct report_data *r, size_t n[3])
{
    n[0] = n[1] = n[2] = 0;
    for (size_t i = 0; i < r->n_points; i++)
        n[r->points[i].ok ? 0 : r->points[i].ran ? 1 : 2]++;
}

/* The statistics the table shows: report.y for a study, the headline rates for one run. */
static size_t table_stats(const struct report_data *r, const char *const **names)
{
    static const char *const headline[] = {"refs", "cycles.total", "dtlb.l1.hit_rate", "dtlb.l2.hit_rate",
                                           "walker.hit_rate", "vmm.vtlb.hit_rate", "guest.faults"};
    static const char *y[REPORT_MAX_Y];
    if (!r->is_study) {
        *names = headline;
        return sizeof headline / sizeof headline[0];
    }
    for (size_t i = 0; i < r->spec.n_y; i++)
        y[i] = r->spec.y[i];
    *names = y;
    return r->spec.n_y;
}

/* A value as a reader wants it: a count whole (1800000, never 1.8e+06), another number with six
 * significant digits but never in exponent form from 1 up (334084688.5, 0.953412). */
static void put_number(FILE *out, double v)
{
    if (v == floor(v) && fabs(v) < 1e15)
        fprintf(out, "%.0f", v);
    else if (fabs(v) >= 1) {
        const int digits = (int)floor(log10(fabs(v))) + 1;
        fprintf(out, "%.*f", digits < 6 ? 6 - digits : 1, v);
    } else
        fprintf(out, "%.6g", v);
}

static void cell_value(FILE *out, const struct report_data *r, const struct report_point *p, const char *stat)
{
    double v;
    if (p->ok && report_stat(r, p, stat, &v, NULL) == 0)
        put_number(out, v);
    else
        fputs("-", out);
}

static const char *section_title(enum figure_kind k)
{
    switch (k) {
    case FIG_SWEEP: return "Statistics against the swept key";
    case FIG_CYCLES: return "Cycle breakdown per point";
    case FIG_PURGES: return "Purge cost per operation";
    case FIG_TIMELINE: return "Miss rates over time";
    }
    return "";
}

static const char page_script[] =
    "<script>\n"
    "// click a column header to sort the points by it (numbers, sizes with K/M/G, or text)\n"
    "document.querySelectorAll('#points th').forEach(function (th, col) {\n"
    "  th.addEventListener('click', function () {\n"
    "    var body = th.closest('table').tBodies[0], rows = Array.prototype.slice.call(body.rows);\n"
    "    var up = th.getAttribute('data-order') !== 'up';\n"
    "    th.setAttribute('data-order', up ? 'up' : 'down');\n"
    "    function key(row) {\n"
    "      var t = row.cells[col].textContent.trim(), m = /^(-?[0-9.]+(?:e[-+]?[0-9]+)?)([KMG]?)$/i.exec(t);\n"
    "      return m ? parseFloat(m[1]) * {'': 1, K: 1024, M: 1048576, G: 1073741824}[m[2].toUpperCase()] : t;\n"
    "    }\n"
    "    rows.sort(function (a, b) {\n"
    "      var x = key(a), y = key(b);\n"
    "      var c = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));\n"
    "      return up ? c : -c;\n"
    "    });\n"
    "    rows.forEach(function (row) { body.appendChild(row); });\n"
    "  });\n"
    "});\n"
    "// record which figures loaded (tests read it; a reader sees a note if one did not)\n"
    "window.addEventListener('load', function () {\n"
    "  var ok = 0, broken = [];\n"
    "  for (var i = 0; i < document.images.length; i++) {\n"
    "    var img = document.images[i];\n"
    "    if (img.complete && img.naturalWidth > 0) ok++; else broken.push(img.getAttribute('src'));\n"
    "  }\n"
    "  var check = document.getElementById('figure-check');\n"
    "  check.setAttribute('data-loaded', ok);\n"
    "  check.setAttribute('data-total', document.images.length);\n"
    "  check.setAttribute('data-broken', broken.join(' '));\n"
    "  if (broken.length) { check.hidden = false; check.textContent = 'Figures that did not load: ' + broken.join(', '); }\n"
    "});\n"
    "</script>\n";

int report_write_html(const struct report_data *r, const struct report_figures *figs, FILE *out)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", out);
    html_text(out, title_of(r));
    fputs(" - vhptsim report</title>\n<style>\n"
          "body { font-family: sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }\n"
          "table { border-collapse: collapse; font-size: 90%; margin: 1em 0; }\n"
          "th, td { border: 1px solid #bbb; padding: 3px 8px; text-align: right; }\n"
          "th { background: #eee; cursor: pointer; } th:first-child, td:first-child { text-align: left; }\n"
          ".failed { color: #b00020; font-weight: bold; } .not-run { color: #666; font-style: italic; }\n"
          "figure { margin: 1.5em 0; } img { max-width: 100%; border: 1px solid #ddd; }\n"
          "#figure-check { color: #b00020; }\n"
          "</style>\n</head>\n<body>\n<h1>",
          out);
    html_text(out, title_of(r));
    fputs("</h1>\n", out);
    if (r->spec.description[0]) {
        fputs("<p>", out);
        html_text(out, r->spec.description);
        fputs("</p>\n", out);
    }
    if (r->is_study) {
        fputs("<h2>Swept keys</h2>\n<ul>\n", out);
        for (size_t a = 0; a < r->sweep->n_axes; a++) {
            fputs("<li><code>", out);
            html_text(out, r->sweep->axis[a].key);
            fputs("</code>: ", out);
            for (size_t v = 0; v < r->sweep->axis[a].n; v++) {
                fputs(v ? ", " : "", out);
                html_text(out, r->sweep->axis[a].labels[v]);
            }
            fputs("</li>\n", out);
        }
        size_t n[3];
        count_status(r, n);
        fprintf(out, "</ul>\n<p>%zu points, %zu complete, %zu failed, %zu not run. Every statistic of every point: "
                     "<a href=\"../summary.csv\">summary.csv</a>.</p>\n",
                r->n_points, n[0], n[1], n[2]);
    }
    const char *const *stats;
    const size_t n_stats = table_stats(r, &stats);
    fputs("<h2>Points</h2>\n<table id=\"points\">\n<thead><tr><th>point</th>", out);
    for (size_t a = 0; a < r->sweep->n_axes; a++) {
        fputs("<th>", out);
        html_text(out, r->sweep->axis[a].short_key);
        fputs("</th>", out);
    }
    fputs("<th>status</th>", out);
    for (size_t k = 0; k < n_stats; k++) {
        fputs("<th>", out);
        html_text(out, stats[k]);
        fputs("</th>", out);
    }
    fputs("<th>files</th></tr></thead>\n<tbody>\n", out);
    for (size_t i = 0; i < r->n_points; i++) {
        const struct report_point *p = &r->points[i];
        fputs("<tr><td>", out);
        html_text(out, p->name);
        fputs("</td>", out);
        for (size_t a = 0; a < r->sweep->n_axes; a++) {
            fputs("<td>", out);
            html_text(out, r->sweep->axis[a].labels[p->idx[a]]);
            fputs("</td>", out);
        }
        fprintf(out, "<td%s>%s</td>", p->ok ? "" : p->ran ? " class=\"failed\"" : " class=\"not-run\"",
                report_point_status(p));
        for (size_t k = 0; k < n_stats; k++) {
            fputs("<td>", out);
            cell_value(out, r, p, stats[k]);
            fputs("</td>", out);
        }
        fputs("<td>", out);
        if (p->ok) {
            static const char *const files[] = {"config.yaml", "stats.yaml"};
            for (size_t f = 0; f < 2; f++) {
                fputs(f ? " <a href=\"" : "<a href=\"", out);
                point_link(out, r, p, files[f]);
                fprintf(out, "\">%s</a>", files[f]);
            }
        }
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody>\n</table>\n", out);
    int last = -1;
    for (size_t i = 0; i < figs->n; i++) {
        const struct report_figure *f = &figs->f[i];
        if ((int)f->kind != last)
            fprintf(out, "<h2>%s</h2>\n", section_title(f->kind));
        last = (int)f->kind;
        fprintf(out, "<figure>\n<img src=\"%s.svg\" alt=\"", f->base);
        html_text(out, f->caption);
        fputs("\">\n<figcaption>", out);
        html_text(out, f->caption);
        fprintf(out, " (<a href=\"%s.png\">PNG</a>, <a href=\"%s.dat\">data</a>)</figcaption>\n</figure>\n", f->base,
                f->base);
    }
    if (figs->n_notes) {
        fputs("<h2>Not drawn</h2>\n<ul>\n", out);
        for (size_t i = 0; i < figs->n_notes; i++) {
            fputs("<li>", out);
            html_text(out, figs->notes[i]);
            fputs("</li>\n", out);
        }
        fputs("</ul>\n", out);
    }
    fputs("<p id=\"figure-check\" hidden></p>\n", out);
    fputs(page_script, out);
    fputs("</body>\n</html>\n", out);
    return ferror(out) ? -1 : 0;
}

int report_write_md(const struct report_data *r, const struct report_figures *figs, FILE *out)
{
    fprintf(out, "# %s\n\n", title_of(r));
    if (r->spec.description[0])
        fprintf(out, "%s\n\n", r->spec.description);
    if (r->is_study) {
        fputs("Swept keys:\n\n", out);
        for (size_t a = 0; a < r->sweep->n_axes; a++) {
            fprintf(out, "- `%s`: ", r->sweep->axis[a].key);
            for (size_t v = 0; v < r->sweep->axis[a].n; v++)
                fprintf(out, "%s%s", v ? ", " : "", r->sweep->axis[a].labels[v]);
            fputc('\n', out);
        }
        size_t n[3];
        count_status(r, n);
        fprintf(out, "\n%zu points, %zu complete, %zu failed, %zu not run; every statistic: [summary.csv](../summary.csv).\n\n",
                r->n_points, n[0], n[1], n[2]);
    }
    const char *const *stats;
    const size_t n_stats = table_stats(r, &stats);
    fputs("| point |", out);
    for (size_t a = 0; a < r->sweep->n_axes; a++)
        fprintf(out, " %s |", r->sweep->axis[a].short_key);
    fputs(" status |", out);
    for (size_t k = 0; k < n_stats; k++)
        fprintf(out, " `%s` |", stats[k]);
    fputs(" files |\n|", out);
    for (size_t k = 0; k < r->sweep->n_axes + n_stats + 3; k++)
        fputs(" --- |", out);
    fputc('\n', out);
    for (size_t i = 0; i < r->n_points; i++) {
        const struct report_point *p = &r->points[i];
        fprintf(out, "| %s |", p->name);
        for (size_t a = 0; a < r->sweep->n_axes; a++)
            fprintf(out, " %s |", r->sweep->axis[a].labels[p->idx[a]]);
        fprintf(out, p->ok ? " %s |" : " **%s** |", report_point_status(p));
        for (size_t k = 0; k < n_stats; k++) {
            fputc(' ', out);
            cell_value(out, r, p, stats[k]);
            fputs(" |", out);
        }
        if (p->ok) {
            fputs(" [config](", out);
            point_link(out, r, p, "config.yaml");
            fputs(") [stats](", out);
            point_link(out, r, p, "stats.yaml");
            fputs(") |\n", out);
        } else {
            fputs(" |\n", out);
        }
    }
    int last = -1;
    for (size_t i = 0; i < figs->n; i++) {
        const struct report_figure *f = &figs->f[i];
        if ((int)f->kind != last)
            fprintf(out, "\n## %s\n", section_title(f->kind));
        last = (int)f->kind;
        fprintf(out, "\n![%s](%s.png)\n\n%s ([SVG](%s.svg), [data](%s.dat))\n", f->caption, f->base, f->caption, f->base,
                f->base);
    }
    if (figs->n_notes) {
        fputs("\n## Not drawn\n\n", out);
        for (size_t i = 0; i < figs->n_notes; i++)
            fprintf(out, "- %s\n", figs->notes[i]);
    }
    return ferror(out) ? -1 : 0;
}
