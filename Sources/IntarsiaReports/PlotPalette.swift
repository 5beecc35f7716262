/// The one colour palette of every SVG chart, and the rule that orders it for each kind of chart.
///
/// The colours are matplotlib's "tab10" (the Tableau 10 palette, matplotlib
/// `lib/matplotlib/_cm.py`, `_tab10_data`), in its order. Three of them carry a meaning in the
/// Pareto scatter and are set aside there: red (#d62728) rings and labels the chosen design, grey
/// (#7f7f7f) is too close to the infeasible designs' crosses (#b0b0b0), and olive (#bcbd22) is
/// hard to tell from green and grey at marker size. The orders (kept so that every bundled SVG in
/// results/ is unchanged):
/// - `lines` (convergence lines, no marks with a meaning): tab10 as it is.
/// - `series` (Pareto scatters, one colour per file or per run): tab10 without the set-aside
///   colours, in tab10 order; the first is the colour of a single-series chart.
/// - `segments` (stacked bars, one colour per stage): `series`, then the set-aside colours from
///   the least meaningful to the most (olive, grey, red), so red comes last.
public enum PlotPalette {
    /// matplotlib's tab10 in its order: blue, orange, green, red, purple, brown, pink, grey, olive, cyan.
    public static let tab10 = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    /// Colours with a meaning in the Pareto scatter, from the most meaningful to the least: red, grey, olive.
    public static let setAside = ["#d62728", "#7f7f7f", "#bcbd22"]

    /// Lines of a line chart: tab10 as it is.
    public static let lines = tab10
    /// Series of a Pareto scatter: tab10 without the set-aside colours.
    public static let series = tab10.filter { !setAside.contains($0) }
    /// Segments of a stacked bar: the series colours, then the set-aside ones, red last.
    public static let segments = series + setAside.reversed()

    /// The k-th colour of an order, cycling when there are more items than colours.
    public static func color(_ k: Int, of order: [String]) -> String { order[k % order.count] }
}
