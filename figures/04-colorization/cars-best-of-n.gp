# Rendered by the chapter run; re-plot with: cd figures/04-colorization && gnuplot cars-best-of-n.gp
set terminal pngcairo size 900,600 enhanced font 'DejaVu Sans,11'
set output 'cars-best-of-n.png'
set title "cars: best-of-N colorization error (203 test inputs)"
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
plot 'cars-best-of-n.0.dat' using 1:2 with linespoints lw 2 pt 7 ps 0.6 lc rgb '#D55E00' title "AGE released-nz16", \
     'cars-best-of-n.1.dat' using 1:2 with linespoints lw 2 pt 7 ps 0.6 lc rgb '#E69F00' title "AGE released-nz3", \
     'cars-best-of-n.2.dat' using 1:2 with linespoints lw 2 pt 7 ps 0.6 lc rgb '#CC79A7' title "AGE first-round", \
     'cars-best-of-n.3.dat' using 1:2 with linespoints lw 2 pt 7 ps 0.6 lc rgb '#0072B2' title "pix2pix + noise", \
     'cars-best-of-n.4.dat' using 1:2 with lines lw 2 dt 2 lc rgb 'black' title "grayscale (ab = 0)"
