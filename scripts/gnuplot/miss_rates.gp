# miss_rates.gp - miss rates over time of one run, a line per vCPU (data: one block per vCPU,
# columns refs, L1 DTLB, L2 DTLB, walker, vTLB miss rates of each interval; '?' where an
# interval had no lookups, an undefined rate that is left out, never drawn as 0).
# Variables: data, ncpu, title_, xmax (the largest refs), xstep (a round tic step), has2..has5
# (the column has a rate). A panel whose rate is undefined throughout (e.g. the vTLB with
# 16 KiB guest pages only) says so instead of a line. One legend for the four panels, in a
# column of its own at the right (two columns past 32 vCPUs), so that it never runs into the
# panels or the title whatever the number of vCPUs.
keyw = ncpu > 32 ? 0.25 : 0.14
set multiplot layout 2,2 title title_ margins 0.07, 0.97 - keyw, 0.08, 0.9 spacing 0.08, 0.13
set yrange [0:1.02]
set grid
set xlabel 'references of the vCPU'
set ylabel 'miss rate (misses / lookups)'
set format x '%.1s%c'
set xtics xstep
none = 'no lookups in any interval: the rate is undefined'
unset key
set title 'L1 DTLB'
if (has2) { plot for [i=0:ncpu-1] data index i using 1:2 with linespoints title sprintf('vCPU %d', i) } \
else { set xrange [0:xmax]; set label 1 none at graph 0.5,0.5 center; plot NaN notitle; unset label 1; set autoscale x }
set title 'L2 DTLB'
if (has3) { plot for [i=0:ncpu-1] data index i using 1:3 with linespoints title sprintf('vCPU %d', i) } \
else { set xrange [0:xmax]; set label 1 none at graph 0.5,0.5 center; plot NaN notitle; unset label 1; set autoscale x }
set title 'VHPT walker'
if (has4) { plot for [i=0:ncpu-1] data index i using 1:4 with linespoints title sprintf('vCPU %d', i) } \
else { set xrange [0:xmax]; set label 1 none at graph 0.5,0.5 center; plot NaN notitle; unset label 1; set autoscale x }
set title 'vTLB (VMM)'
if (has5) { plot for [i=0:ncpu-1] data index i using 1:5 with linespoints title sprintf('vCPU %d', i) } \
else { set xrange [0:xmax]; set label 1 none at graph 0.5,0.5 center; plot NaN notitle; unset label 1; set autoscale x }
# the legend: a plot of no points filling the right column
set lmargin at screen 0.99 - keyw
set rmargin at screen 0.99
set tmargin at screen 0.9
set bmargin at screen 0.08
unset border; unset tics; unset grid; unset title; unset xlabel; unset ylabel
set xrange [0:1]; set yrange [0:1]
set key inside left top vertical maxrows 32 samplen 2
plot for [i=0:ncpu-1] NaN with linespoints lt i+1 title sprintf('vCPU %d', i)
unset multiplot
