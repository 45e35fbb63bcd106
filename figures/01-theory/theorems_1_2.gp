# Rendered by the chapter run; re-plot with: cd figures/01-theory && gnuplot theorems_1_2.gp
set terminal pngcairo size 900,560 enhanced font 'DejaVu Sans,11'
set output 'theorems_1_2.png'
set title "Best encoder value along g_t = (1 - t) g_0 + t g* (g_1 = g*, the perfect generator)"
set xlabel "t"
set ylabel "max_e V(g_t, e)"
set grid
set key outside right top
set arrow from 1, graph 0 to 1, graph 1 nohead dt 2
plot 'theorems_1_2.0.dat' using 1:2 with linespoints lw 2 pt 7 title "eq. (7), game 1", \
     'theorems_1_2.1.dat' using 1:2 with linespoints lw 2 pt 7 title "eq. (7), game 2", \
     'theorems_1_2.2.dat' using 1:2 with linespoints lw 2 pt 7 title "k-NN, game 1", \
     'theorems_1_2.3.dat' using 1:2 with linespoints lw 2 pt 7 title "k-NN, game 2"
