/*
 * report.h - `vhptsim report DIR`: the report of a study or of one run, from its files alone
 * (docs/studies.md). For a study (DIR/study.yaml): DIR/summary.csv (a row per point: swept
 * values, status, every statistic; deterministic bytes) and DIR/report/; for one run
 * (DIR/stats.csv): DIR/report/. report/ holds gnuplot figures in PNG and SVG, the data behind
 * each (.dat), index.html and index.md, and appears whole (written aside, then renamed).
 */
#ifndef VHPTSIM_REPORT_H
#define VHPTSIM_REPORT_H

/* Returns the exit status: 0, 1 (I/O, gnuplot failed, DIR busy), 2 (DIR is neither a study nor
 * a complete run). locked: the caller holds DIR's lock (a study drawing its own report). */
int report_build(const char *dir, int quiet, int locked);

#endif
