# sweep.gp - one statistic against the swept key report.x: a line per combination of the other
# swept keys (data: one block per line, its first row the line's title), the mean over seeds
# with error bars from the minimum to the maximum.
# Variables: data, nseries, title_, xlabel_, ylabel_, logx, logy, fraction (0/1: y is a
# fraction from 0 to 1), xlo, xhi (the x positions' range).
set title title_
set xlabel xlabel_
set ylabel ylabel_
set key outside right top
set grid
if (logx) { set logscale x 2 } else { unset logscale x }
if (logy) { set logscale y 10 } else { unset logscale y }
set offsets graph 0.04, graph 0.04, 0, 0
if (xlo == xhi) { set xrange [xlo - 1 : xhi + 1] } else { set xrange [*:*] }
if (fraction && !logy) { set yrange [0:1.02] } else { set yrange [*:*] }
plot for [i=0:nseries-1] data index i using 1:3:4:5:xtic(2) with yerrorlines title columnheader(1)
