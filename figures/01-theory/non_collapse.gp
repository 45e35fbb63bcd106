# Rendered by the chapter run; re-plot with: cd figures/01-theory && gnuplot non_collapse.gp
set terminal pngcairo size 900,600 enhanced font 'DejaVu Sans,11'
set output 'non_collapse.png'
set title "Generators after 2000 steps against a frozen adversary (ring of 8)"
set xlabel "x_1"
set ylabel "x_2"
set grid
set key below horizontal height 1.5
set size ratio -1
set xrange [-1.6:1.6]
set yrange [-1.6:1.6]
plot 'non_collapse.0.dat' using 1:2 with points pt 7 ps 0.35 lc rgb '#E69F00' title "AGE before", \
     'non_collapse.1.dat' using 1:2 with points pt 7 ps 0.35 lc rgb '#D55E00' title "AGE after", \
     'non_collapse.2.dat' using 1:2 with points pt 7 ps 0.35 lc rgb '#777777' title "GAN after (context)", \
     'non_collapse.3.dat' using 1:2 with points pt 6 ps 0.6 lc rgb '#000000' title "data"
