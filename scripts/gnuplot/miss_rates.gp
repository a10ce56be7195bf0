# miss_rates.gp - miss rates per interval of one run (timeseries.csv), vCPU 0.
# gnuplot -e "in='DIR/timeseries.csv'; out='DIR/miss_rates.svg'; cols='6 7 8 9 4'" scripts/gnuplot/miss_rates.gp
# cols: the timeseries.csv columns to draw (scripts/plot passes those with at least one rate).
# An interval without lookups has an empty field (an undefined rate): gnuplot skips that point.
set terminal svg size 900,500 dynamic noenhanced font 'sans,11'
set output out
set datafile separator ','
set key outside right top
set xlabel 'references (vCPU 0)'
set ylabel 'miss rate in the interval'
set yrange [0:1.05]
set grid
set title 'Miss rates over time'
name(c) = c == 4 ? 'L1 ITLB' : c == 5 ? 'L2 ITLB' : c == 6 ? 'L1 DTLB' : c == 7 ? 'L2 DTLB' : \
          c == 8 ? 'VHPT walker' : c == 9 ? 'vTLB (VMM)' : sprintf('column %d', c)
style(c) = c == 4 || c == 5 ? 2 : 1
plot for [i = 1:words(cols)] in using ($1 == 0 ? $2 : 1/0):(column(word(cols, i) + 0)) \
     with linespoints dashtype style(word(cols, i) + 0) title name(word(cols, i) + 0)
