# Rendered by the chapter run; re-plot with: cd figures/01-theory && gnuplot kl_moment_blindness.gp
set terminal pngcairo size 900,600 enhanced font 'DejaVu Sans,11'
set output 'kl_moment_blindness.png'
set title "Eq. (7) cannot tell uniform from mass on ±e_j; a k-NN KL estimate can"
set xlabel "left group: M = 3; right group: M = 8"
set ylabel "divergence estimate (nats)"
set grid
set key below horizontal height 1.5
set boxwidth 0.9
set xtics ('M = 3' 1.5, 'M = 8' 6.5)
plot 'kl_moment_blindness.0.dat' using 1:2 with boxes fs solid 0.6 lc rgb '#0072B2' title "eq. (7), uniform", \
     'kl_moment_blindness.1.dat' using 1:2 with boxes fs solid 0.6 lc rgb '#D55E00' title "eq. (7), ±e_j bumps", \
     'kl_moment_blindness.2.dat' using 1:2 with boxes fs pattern 4 lc rgb '#009E73' title "k-NN KL, uniform", \
     'kl_moment_blindness.3.dat' using 1:2 with boxes fs pattern 5 lc rgb '#CC79A7' title "k-NN KL, ±e_j bumps"
