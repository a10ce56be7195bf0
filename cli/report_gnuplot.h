/*
 * report_gnuplot.h - drawing one report figure with gnuplot: a template of scripts/gnuplot/
 * (built into vhptsim), after the palette and the figure's variables, run once for PNG
 * (pngcairo) and once for SVG in the same gnuplot process.
 */
#ifndef VHPTSIM_REPORT_GNUPLOT_H
#define VHPTSIM_REPORT_GNUPLOT_H

#include <stddef.h>

/* Writes DIR/BASE.png and DIR/BASE.svg (data files are named relative to DIR). vars: gnuplot
 * assignments ("data='x.dat'; nseries=2"). 0, or -1 with gnuplot's complaint in err. */
int gnuplot_draw(const char *dir, const char *base, const char *script, const char *vars, unsigned width,
                 unsigned height, char *err, size_t errlen);

/* Appends "; NAME='VALUE'" (VALUE quoted for gnuplot) to buf. */
void gnuplot_var(char *buf, size_t len, const char *name, const char *value);
/* Appends "; NAME=VALUE" for a number. */
void gnuplot_var_num(char *buf, size_t len, const char *name, double value);

#endif
