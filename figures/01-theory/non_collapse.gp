# Rendered by the chapter run; re-plot with: cd figures/01-theory && gnuplot non_collapse.gp
set terminal pngcairo size 900,560 enhanced font 'DejaVu Sans,11'
set output 'non_collapse.png'
set title "After 3000 generator-only steps against a frozen adversary (ring of 8)"
set xlabel "x_1"
set ylabel "x_2"
set grid
set key outside right top
set size ratio -1
set xrange [-6:6]
set yrange [-6:6]
plot 'non_collapse.0.dat' using 1:2 with points pt 7 ps 0.3 lc rgb '#999999' title "data", \
     'non_collapse.1.dat' using 1:2 with points pt 7 ps 0.3 lc rgb '#d62728' title "AGE generator", \
     'non_collapse.2.dat' using 1:2 with points pt 7 ps 0.3 lc rgb '#1f77b4' title "GAN generator"
