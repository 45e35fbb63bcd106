# Rendered by the chapter run; re-plot with: cd figures/01-theory && gnuplot theorem1.gp
set terminal pngcairo size 900,600 enhanced font 'DejaVu Sans,11'
set output 'theorem1.png'
set title "Game (1): best encoder value along g_t = (1 - t) g_0 + t g* (g_1 = g*, the perfect generator)"
set xlabel "t"
set ylabel "max_e V1(g_t, e)"
set grid
set key below horizontal height 1.5
set autoscale xfix
set offsets graph 0.02, graph 0.02, 0, 0
set arrow from 1, graph 0 to 1, graph 1 nohead dt 2
set yrange [*:4.491]
set label "off scale: 1-D, eq. (7) at t = 1.5: 42.4" at graph 0.02, graph 0.95 left
plot 'theorem1.0.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#0072B2' title "1-D, eq. (7)", \
     'theorem1.1.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#D55E00' title "1-D, k-NN", \
     'theorem1.2.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#009E73' title "2-D, eq. (7)", \
     'theorem1.3.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#CC79A7' title "2-D, k-NN"
