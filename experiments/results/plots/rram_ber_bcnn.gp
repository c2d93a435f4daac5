# scbnn plot: accuracy against weight sign-flip rate (accel.rram.ber, one curve per network.path)
# `gnuplot experiments/results/plots/rram_ber_bcnn.gp` draws experiments/results/plots/rram_ber_bcnn.png and experiments/results/plots/rram_ber_bcnn.svg again from experiments/results/plots/rram_ber_bcnn.dat (data, png and svg can be set with -e)
if (!exists("data")) data = "experiments/results/plots/rram_ber_bcnn.dat"
if (!exists("png")) png = "experiments/results/plots/rram_ber_bcnn.png"
if (!exists("svg")) svg = "experiments/results/plots/rram_ber_bcnn.svg"
set encoding utf8
set terminal pngcairo noenhanced size 1000,660 font 'sans,10'
set output png
set title "Accuracy vs weight sign-flip rate" font ',13'
set xlabel "weight sign-flip rate (probability)" font ',11'
set ylabel "accuracy (%)" font ',11'
set grid lc rgb '#d0d0d0'
set bars small
zero_at = 1e-05  # where accel.rram.ber = 0 is drawn
set logscale x 10
set xtics ("10⁻⁴" 1e-04, "10⁻³" 0.001, "10⁻²" 0.01, "10⁻¹" 0.1, "0" 1e-05, "" 4e-05 1, "" 5e-05 1, "" 6e-05 1, "" 7e-05 1, "" 8e-05 1, "" 9e-05 1, "" 2e-04 1, "" 3e-04 1, "" 4e-04 1, "" 5e-04 1, "" 6e-04 1, "" 7e-04 1, "" 8e-04 1, "" 9e-04 1, "" 0.002 1, "" 0.003 1, "" 0.004 1, "" 0.005 1, "" 0.006 1, "" 0.007 1, "" 0.008 1, "" 0.009 1, "" 0.02 1, "" 0.03 1, "" 0.04 1, "" 0.05 1, "" 0.06 1, "" 0.07 1, "" 0.08 1, "" 0.09 1)
set xrange [6.309573444801932e-06:0.15848931924611137]
set arrow 1 from 3.1622776601683795e-05, graph 0 to 3.1622776601683795e-05, graph 1 nohead dt 3 lc rgb '#808080'
set style textbox opaque noborder
set label 101 "//" at 3.1622776601683795e-05, graph 0 center boxed front
set label 102 "//" at 3.1622776601683795e-05, graph 1 center boxed front
set format y '%.10g'
set key bottom left opaque box lc rgb '#b0b0b0' spacing 1.2 title "network file"
set bmargin 4.7
set label 100 "x: accel.rram.ber; curves: network.path; error bars: 95 % Wilson score intervals of the accuracy, 2000 images per point; accel.rram.ber = 0 drawn left of the axis break" at character 1, character 0.9 left font ',8' textcolor rgb '#505050'
plot data index 0 using 1:2:3:4 with yerrorlines lc rgb '#1f77b4' pt 7 ps 1.1 lw 1.5 title "fmnist_bcnn_fixed", \
     data index 1 using (zero_at):2:3:4 with yerrorbars lc rgb '#1f77b4' pt 7 ps 1.1 lw 1.5 notitle, \
     data index 2 using 1:2:3:4 with yerrorlines lc rgb '#ff7f0e' pt 5 ps 1.1 lw 1.5 title "fmnist_bcnn_ea1e-2", \
     data index 3 using (zero_at):2:3:4 with yerrorbars lc rgb '#ff7f0e' pt 5 ps 1.1 lw 1.5 notitle
set terminal svg noenhanced size 1000,660 font 'sans,10' background rgb 'white'
set output svg
replot
unset output
