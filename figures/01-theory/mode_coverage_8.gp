# Rendered by the chapter run; re-plot with: cd figures/01-theory && gnuplot mode_coverage_8.gp
set terminal pngcairo size 900,560 enhanced font 'DejaVu Sans,11'
set output 'mode_coverage_8.png'
set title "Samples after 1500 steps, seed 0 (ring of 8)"
set xlabel "x_1"
set ylabel "x_2"
set grid
set key outside right top
set size ratio -1
set xrange [-6:6]
set yrange [-6:6]
plot 'mode_coverage_8.0.dat' using 1:2 with points pt 7 ps 0.3 lc rgb '#999999' title "data", \
     'mode_coverage_8.1.dat' using 1:2 with points pt 7 ps 0.3 lc rgb '#d62728' title "AGE", \
     'mode_coverage_8.2.dat' using 1:2 with points pt 7 ps 0.3 lc rgb '#1f77b4' title "GAN", \
     'mode_coverage_8.3.dat' using 1:2 with points pt 7 ps 0.3 lc rgb '#2ca02c' title "ALI"
