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
set output "experiments/results/plots/energy_breakdown_sc8_lfsr.png.tmp"
set style data histograms
set style histogram rowstacked
set style fill solid 0.8 border -1
set boxwidth 0.7
set key outside right
set ylabel "energy per inference (nJ)"
set xtics rotate by -30
plot for [i=2:17] "experiments/results/plots/energy_breakdown_sc8_lfsr.dat" using i:xtic(1) title columnheader(i)
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
set output "experiments/results/plots/energy_breakdown_sc8_lfsr.svg.tmp"
set style data histograms
set style histogram rowstacked
set style fill solid 0.8 border -1
set boxwidth 0.7
set key outside right
set ylabel "energy per inference (nJ)"
set xtics rotate by -30
plot for [i=2:17] "experiments/results/plots/energy_breakdown_sc8_lfsr.dat" using i:xtic(1) title columnheader(i)
unset output
