# scbnn plot: area by component class, one bar per point
# `gnuplot experiments/results/plots/area_breakdown_n4.gp` draws experiments/results/plots/area_breakdown_n4.png and experiments/results/plots/area_breakdown_n4.svg again from experiments/results/plots/area_breakdown_n4.dat (data, png and svg can be set with -e)
if (!exists("data")) data = "experiments/results/plots/area_breakdown_n4.dat"
if (!exists("png")) png = "experiments/results/plots/area_breakdown_n4.png"
if (!exists("svg")) svg = "experiments/results/plots/area_breakdown_n4.svg"
set encoding utf8
set terminal pngcairo noenhanced size 1000,690 font 'sans,10'
set output png
set title "Area by component class\nstream_length=4" font ',13'
set ylabel "area (mm²)" font ',11'
set style data histograms
set style histogram rowstacked
set style fill solid 1.0 border rgb '#404040'
set boxwidth 0.7
set key outside right top title 'component class' spacing 1.1
set grid ytics lc rgb '#d0d0d0'
set xrange [-0.6:4.6]
set yrange [0:0.46674978554880014]
set xtics nomirror ("fmnist_bnn_sc8\nsource=lfsr" 0, "fmnist_bnn_sc1\nsource=lfsr" 1, "fmnist_bnn_fixed\nsource=sobol" 2, "fmnist_bnn_sc8\nsource=sobol" 3, "fmnist_bnn_sc8\nsource=lfsr\nsharing=shared_rotate\nshared_sources=64" 4)
set bmargin 6.7
set label 100 "bars labelled by network.path, accel.sng.source, accel.sng.sharing, accel.sng.shared_sources; totals above the bars" at character 1, character 0.9 left font ',8' textcolor rgb '#505050'
plot data using 2 lc rgb '#f3c300' title "accumulator", \
     data using 3 lc rgb '#875692' title "activation_buffer", \
     data using 4 lc rgb '#f38400' title "adder_tree", \
     data using 5 lc rgb '#a1caf1' title "array_column_driver", \
     data using 6 lc rgb '#be0032' title "array_row_driver", \
     data using 7 lc rgb '#c2b280' title "controller", \
     data using 8 lc rgb '#848482' title "input_buffer", \
     data using 9 lc rgb '#008856' title "input_latch", \
     data using 10 lc rgb '#e68fac' title "lfsr", \
     data using 11 lc rgb '#0067a5' title "mram_2t2r_array", \
     data using 12 lc rgb '#f99379' title "output_scorer", \
     data using 13 lc rgb '#604e97' title "param_memory", \
     data using 14 lc rgb '#f6a600' title "partial_sum_register", \
     data using 15 lc rgb '#b3446c' title "pcsa", \
     data using 16 lc rgb '#dcd300' title "register_bank", \
     data using 17 lc rgb '#882d17' title "sng_comparator", \
     data using 18 lc rgb '#8db600' title "threshold_comparator", \
     data using 19 lc rgb '#654522' title "vdc_counter", \
     data using 20 lc rgb '#e25822' title "xnor_popcount", \
     data using 0:21:(sprintf('%.4g', column(21))) with labels offset 0,0.7 font ',9' notitle
set terminal svg noenhanced size 1000,690 font 'sans,10' background rgb 'white'
set output svg
replot
unset output
