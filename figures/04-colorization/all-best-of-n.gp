# Rendered by the chapter run; re-plot with: cd figures/04-colorization && gnuplot all-best-of-n.gp
set terminal pngcairo size 900,600 enhanced font 'DejaVu Sans,11'
set output 'all-best-of-n.png'
set title "all: best-of-N colorization error (1017 test inputs)"
set xlabel "N (colorizations per input)"
set ylabel "mean best-of-N ab L1 (ab units)"
set grid
set key below horizontal height 1.5
set autoscale xfix
set offsets graph 0.02, graph 0.02, 0, 0
set logscale x
set logscale y
set autoscale yfix
set offsets graph 0.02, graph 0.02, graph 0.05, graph 0.05
set ytics (1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300)
plot 'all-best-of-n.0.dat' using 1:2 with linespoints lw 2 pt 7 ps 0.6 lc rgb '#D55E00' title "AGE released-nz16", \
     'all-best-of-n.1.dat' using 1:2 with linespoints lw 2 pt 7 ps 0.6 lc rgb '#0072B2' title "pix2pix + noise", \
     'all-best-of-n.2.dat' using 1:2 with lines lw 2 dt 2 lc rgb 'black' title "grayscale (ab = 0)"
