# Rendered by the chapter run; re-plot with: cd figures/01-theory && gnuplot kl_sphere_concentration.gp
set terminal pngcairo size 900,600 enhanced font 'DejaVu Sans,11'
set output 'kl_sphere_concentration.png'
set title "Eq. (7) on the sphere rises as the distribution concentrates"
set xlabel "concentration kappa + 0.1"
set ylabel "eq. (7) estimate"
set grid
set key below horizontal height 1.5
set autoscale xfix
set offsets graph 0.02, graph 0.02, 0, 0
set logscale x
plot 'kl_sphere_concentration.0.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#0072B2' title "von Mises-Fisher, M = 3", \
     'kl_sphere_concentration.1.dat' using 1:2 with lines dt 2 lw 1.5 lc rgb '#0072B2' title "uniform closed form, M = 3", \
     'kl_sphere_concentration.2.dat' using 1:2 with linespoints lw 2 pt 7 lc rgb '#D55E00' title "von Mises-Fisher, M = 16", \
     'kl_sphere_concentration.3.dat' using 1:2 with lines dt 2 lw 1.5 lc rgb '#D55E00' title "uniform closed form, M = 16"
