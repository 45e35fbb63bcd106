# Rendered by the chapter run; re-plot with: cd figures/01-theory && gnuplot toy_grid.gp
set terminal pngcairo size 900,600 enhanced font 'DejaVu Sans,11'
set output 'toy_grid.png'
set title "Samples after 1000 iterations, evaluation seed 0 (grid of 25); AGE at gaussian lambda=3 mu=1"
set xlabel "x_1"
set ylabel "x_2"
set grid
set key below horizontal height 1.5
set size ratio -1
set xrange [-5.5:5.5]
set yrange [-5.5:5.5]
plot 'toy_grid.0.dat' using 1:2 with points pt 7 ps 0.35 lc rgb '#D55E00' title "AGE", \
     'toy_grid.1.dat' using 1:2 with points pt 7 ps 0.35 lc rgb '#0072B2' title "ALI", \
     'toy_grid.2.dat' using 1:2 with points pt 7 ps 0.35 lc rgb '#777777' title "GAN", \
     'toy_grid.3.dat' using 1:2 with points pt 6 ps 0.6 lc rgb '#000000' title "data"
