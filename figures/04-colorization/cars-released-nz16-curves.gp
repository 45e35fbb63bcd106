# Rendered by the chapter run; re-plot with: cd figures/04-colorization && gnuplot cars-released-nz16-curves.gp
set terminal pngcairo size 900,600 enhanced font 'DejaVu Sans,11'
set output 'cars-released-nz16-curves.png'
set title "cars-released-nz16: conditional AGE losses (moving average, 3 iterations)"
set xlabel "iteration"
set ylabel "loss"
set grid
set key below horizontal height 1.5
set autoscale xfix
set offsets graph 0.02, graph 0.02, 0, 0
set logscale y
plot 'cars-released-nz16-curves.0.dat' using 1:2 with lines lw 2 lc rgb '#0072B2' title "KL real: Delta(e(X|L))", \
     'cars-released-nz16-curves.1.dat' using 1:2 with lines lw 2 lc rgb '#D55E00' title "KL fake: Delta(e(g(Z|L)|L))", \
     'cars-released-nz16-curves.2.dat' using 1:2 with lines lw 2 lc rgb '#009E73' title "L_X = |x - g(e(x|L)|L)|_1", \
     'cars-released-nz16-curves.3.dat' using 1:2 with lines lw 2 lc rgb '#CC79A7' title "L_Z in g's steps", \
     'cars-released-nz16-curves.4.dat' using 1:2 with lines lw 2 lc rgb '#E69F00' title "L_Z in e's step"
