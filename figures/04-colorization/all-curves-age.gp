# Rendered by the chapter run; re-plot with: cd figures/04-colorization && gnuplot all-curves-age.gp
set terminal pngcairo size 900,560 enhanced font 'DejaVu Sans,11'
set output 'all-curves-age.png'
set title "all: conditional AGE losses (moving average over 1 iterations)"
set xlabel "iteration"
set ylabel "loss"
set grid
set key outside right top
set logscale y
plot 'all-curves-age.0.dat' using 1:2 with lines lw 2 title "KL real: Delta(e(X|L))", \
     'all-curves-age.1.dat' using 1:2 with lines lw 2 title "KL fake: Delta(e(g(Z|L)|L))", \
     'all-curves-age.2.dat' using 1:2 with lines lw 2 title "L_X = |x - g(e(x|L)|L)|_1", \
     'all-curves-age.3.dat' using 1:2 with lines lw 2 title "L_Z = |z - e(g(z|L)|L)|^2"
