# purge.gp - what each guest purge instruction costs the VMM, per point: the cycles charged for
# it, the software-table entries it touched and the machine purges it issued, per operation
# (data1, data2, data3: a header row naming the operations, then "point value ..."; '?' where a
# point issued none).
# Variables: data1, data2, data3, ncols, title_, logy1, logy2, logy3 (0/1: a log y axis), ylo1,
# ylo2, ylo3 (its bottom: a decade below the smallest bar, so that a bar of 1 is not of height 0),
# lmarg (a left margin, in characters, that holds the first point's slanted label).
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border lc rgb '#333333'
set key outside right top
set xtics rotate by 35 right
set lmargin lmarg
set grid ytics
set multiplot layout 3,1 title title_
if (logy1) { set logscale y 10; set yrange [ylo1:*] } else { unset logscale y; set yrange [0:*] }
set ylabel 'cycles per operation'
plot for [c=2:ncols] data1 using c:xtic(1) title columnheader(c) lt c-1 dt 1 lw 1
if (logy2) { set logscale y 10; set yrange [ylo2:*] } else { unset logscale y; set yrange [0:*] }
set ylabel 'entries touched per operation'
plot for [c=2:ncols] data2 using c:xtic(1) title columnheader(c) lt c-1 dt 1 lw 1
if (logy3) { set logscale y 10; set yrange [ylo3:*] } else { unset logscale y; set yrange [0:*] }
set ylabel 'machine purges per operation'
plot for [c=2:ncols] data3 using c:xtic(1) title columnheader(c) lt c-1 dt 1 lw 1
unset multiplot
