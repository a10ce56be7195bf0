# cycles.gp - where the cycles go: a stacked bar per point, cycles per reference of each cost
# row (data: a header row, then "point row1 row2 ..."; the largest rows, the rest as "other").
# Variables: data, ncols, title_, ylabel_, lmarg (a left margin, in characters, that holds the
# first point's slanted label).
set title title_
set ylabel ylabel_
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border lc rgb '#333333'
set boxwidth 0.7
set key outside right top invert
set xtics rotate by 35 right
set lmargin lmarg
set grid ytics
set yrange [0:*]
plot for [c=2:ncols] data using c:xtic(1) title columnheader(c) lt c-1 dt 1 lw 1
