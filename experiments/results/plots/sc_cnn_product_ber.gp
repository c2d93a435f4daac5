# scbnn plot: accuracy against binary PE: probability that each bit of each B+A-bit product word flips (accel.mac.fault.product_ber, one curve per network.path)
# `gnuplot experiments/results/plots/sc_cnn_product_ber.gp` draws experiments/results/plots/sc_cnn_product_ber.png and experiments/results/plots/sc_cnn_product_ber.svg again from experiments/results/plots/sc_cnn_product_ber.dat (data, png and svg can be set with -e)
if (!exists("data")) data = "experiments/results/plots/sc_cnn_product_ber.dat"
if (!exists("png")) png = "experiments/results/plots/sc_cnn_product_ber.png"
if (!exists("svg")) svg = "experiments/results/plots/sc_cnn_product_ber.svg"
set encoding utf8
set terminal pngcairo noenhanced size 1000,660 font 'sans,10'
set output png
set title "Accuracy vs binary PE: probability that each bit of each B+A-bit product word flips" font ',13'
set xlabel "binary PE: probability that each bit of each B+A-bit product word flips" font ',11'
set ylabel "accuracy (%)" font ',11'
set grid lc rgb '#d0d0d0'
set bars small
set logscale x 10
set xtics ("10⁻⁵" 1e-05, "10⁻⁴" 1e-04, "10⁻³" 0.001, "10⁻²" 0.01, "10⁻¹" 0.1, "" 7e-06 1, "" 8e-06 1, "" 9e-06 1, "" 2e-05 1, "" 3e-05 1, "" 4e-05 1, "" 5e-05 1, "" 6e-05 1, "" 7e-05 1, "" 8e-05 1, "" 9e-05 1, "" 2e-04 1, "" 3e-04 1, "" 4e-04 1, "" 5e-04 1, "" 6e-04 1, "" 7e-04 1, "" 8e-04 1, "" 9e-04 1, "" 0.002 1, "" 0.003 1, "" 0.004 1, "" 0.005 1, "" 0.006 1, "" 0.007 1, "" 0.008 1, "" 0.009 1, "" 0.02 1, "" 0.03 1, "" 0.04 1, "" 0.05 1, "" 0.06 1, "" 0.07 1, "" 0.08 1, "" 0.09 1)
set xrange [6.309573444801932e-06:0.15848931924611137]
set format y '%.10g'
set key bottom left opaque box lc rgb '#b0b0b0' spacing 1.2 title "network file"
set bmargin 4.7
set label 100 "x: accel.mac.fault.product_ber; curves: network.path; error bars: 95 % Wilson score intervals of the accuracy, 1000 images per point" at character 1, character 0.9 left font ',8' textcolor rgb '#505050'
plot data index 0 using 1:2:3:4 with yerrorlines lc rgb '#1f77b4' pt 7 ps 1.1 lw 1.5 title "fmnist_qcnn_w4a4", \
     data index 1 using 1:2:3:4 with yerrorlines lc rgb '#ff7f0e' pt 5 ps 1.1 lw 1.5 title "fmnist_qcnn_w6a6", \
     data index 2 using 1:2:3:4 with yerrorlines lc rgb '#2ca02c' pt 9 ps 1.1 lw 1.5 title "fmnist_qcnn_w8a8", \
     data index 3 using 1:3:4 with filledcurves fc rgb '#1f77b4' fs transparent solid 0.15 noborder notitle, \
     data index 3 using 1:2 with lines dt 2 lw 2 lc rgb '#1f77b4' title "fmnist_qcnn_w4a4: no faults", \
     data index 4 using 1:3:4 with filledcurves fc rgb '#ff7f0e' fs transparent solid 0.15 noborder notitle, \
     data index 4 using 1:2 with lines dt 2 lw 2 lc rgb '#ff7f0e' title "fmnist_qcnn_w6a6: no faults", \
     data index 5 using 1:3:4 with filledcurves fc rgb '#2ca02c' fs transparent solid 0.15 noborder notitle, \
     data index 5 using 1:2 with lines dt 2 lw 2 lc rgb '#2ca02c' title "fmnist_qcnn_w8a8: no faults"
set terminal svg noenhanced size 1000,660 font 'sans,10' background rgb 'white'
set output svg
replot
unset output
