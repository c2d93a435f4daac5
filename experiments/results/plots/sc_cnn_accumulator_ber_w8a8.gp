set terminal pngcairo noenhanced size 1000,650 font 'sans,10'
set linetype 1 lc rgb '#1f77b4'
set linetype 2 lc rgb '#ff7f0e'
set linetype 3 lc rgb '#2ca02c'
set linetype 4 lc rgb '#d62728'
set linetype 5 lc rgb '#9467bd'
set linetype 6 lc rgb '#8c564b'
set linetype 7 lc rgb '#e377c2'
set linetype 8 lc rgb '#7f7f7f'
set linetype 9 lc rgb '#bcbd22'
set linetype 10 lc rgb '#17becf'
set linetype 11 lc rgb '#393b79'
set linetype 12 lc rgb '#ad494a'
set linetype 13 lc rgb '#8ca252'
set linetype 14 lc rgb '#de9ed6'
set linetype 15 lc rgb '#636363'
set linetype 16 lc rgb '#e7ba52'
set linetype cycle 16
set output "experiments/results/plots/sc_cnn_accumulator_ber_w8a8.png.tmp"
set xlabel "accel.mac.fault.accumulator_ber"
set ylabel "accuracy (%)"
set grid
set key bottom right
set logscale x
set format x '%g'
plot "experiments/results/plots/sc_cnn_accumulator_ber_w8a8.dat" index 0 using 1:2 with linespoints title "pe = binary_mac", "experiments/results/plots/sc_cnn_accumulator_ber_w8a8.dat" index 1 using 1:2 with linespoints title "pe = sc_cnn"
unset output
set terminal svg noenhanced size 1000,650 font 'sans,10'
set linetype 1 lc rgb '#1f77b4'
set linetype 2 lc rgb '#ff7f0e'
set linetype 3 lc rgb '#2ca02c'
set linetype 4 lc rgb '#d62728'
set linetype 5 lc rgb '#9467bd'
set linetype 6 lc rgb '#8c564b'
set linetype 7 lc rgb '#e377c2'
set linetype 8 lc rgb '#7f7f7f'
set linetype 9 lc rgb '#bcbd22'
set linetype 10 lc rgb '#17becf'
set linetype 11 lc rgb '#393b79'
set linetype 12 lc rgb '#ad494a'
set linetype 13 lc rgb '#8ca252'
set linetype 14 lc rgb '#de9ed6'
set linetype 15 lc rgb '#636363'
set linetype 16 lc rgb '#e7ba52'
set linetype cycle 16
set output "experiments/results/plots/sc_cnn_accumulator_ber_w8a8.svg.tmp"
set xlabel "accel.mac.fault.accumulator_ber"
set ylabel "accuracy (%)"
set grid
set key bottom right
set logscale x
set format x '%g'
plot "experiments/results/plots/sc_cnn_accumulator_ber_w8a8.dat" index 0 using 1:2 with linespoints title "pe = binary_mac", "experiments/results/plots/sc_cnn_accumulator_ber_w8a8.dat" index 1 using 1:2 with linespoints title "pe = sc_cnn"
unset output
