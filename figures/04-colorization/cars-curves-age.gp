# Rendered by the chapter run; re-plot with: cd figures/04-colorization && gnuplot cars-curves-age.gp
set terminal pngcairo size 900,560 enhanced font 'DejaVu Sans,11'
set output 'cars-curves-age.png'
set title "cars: conditional AGE losses (moving average over 3 iterations)"
set xlabel "iteration"
set ylabel "loss"
set grid
set key outside right top
set logscale y
plot 'cars-curves-age.0.dat' using 1:2 with lines lw 2 title "KL real: Delta(e(X|L))", \
     'cars-curves-age.1.dat' using 1:2 with lines lw 2 title "KL fake: Delta(e(g(Z|L)|L))", \
     'cars-curves-age.2.dat' using 1:2 with lines lw 2 title "L_X = |x - g(e(x|L)|L)|_1", \
     'cars-curves-age.3.dat' using 1:2 with lines lw 2 title "L_Z = |z - e(g(z|L)|L)|^2"
