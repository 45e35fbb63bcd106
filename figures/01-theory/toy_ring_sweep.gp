# Rendered by the chapter run; re-plot with: cd figures/01-theory && gnuplot toy_ring_sweep.gp
set terminal pngcairo size 1000,420 enhanced font 'DejaVu Sans,11'
set output 'toy_ring_sweep.png'
set title "AGE sweep on held-out seeds (ring of 8, 1000 iterations): colour = share of modes; label = modes / high-quality %"
set xlabel "lambda"
set ylabel ""
set grid
set key below horizontal height 1.5
set xtics ("1" 0, "3" 1, "10" 2, "30" 3, "100" 4, "1000" 5)
set ytics ("gaussian mu=1" 0, "gaussian mu=10" 1, "sphere mu=1" 2, "sphere mu=10" 3)
set cbrange [0:1]
set palette defined (0 '#f7fbff', 1 '#08519c')
set xrange [-0.5:5.5]
set yrange [-0.5:3.5]
unset grid
unset key
plot 'toy_ring_sweep.0.dat' using 1:2:3 with image title "", \
     'toy_ring_sweep.1.dat' using 1:2:(sprintf("%.1f / %.0f%%", $4, $5)) with labels font ',10' title ""
