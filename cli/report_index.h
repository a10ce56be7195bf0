/* report_index.h - the pages of a report: index.html (sortable table of points, every figure;
 * a script records which figures loaded) and index.md (the same for a Markdown viewer). */
#ifndef VHPTSIM_REPORT_INDEX_H
#define VHPTSIM_REPORT_INDEX_H

#include <stdio.h>

#include "report_data.h"
#include "report_figures.h"

int report_write_html(const struct report_data *r, const struct report_figures *figs, FILE *out);
int report_write_md(const struct report_data *r, const struct report_figures *figs, FILE *out);

#endif
