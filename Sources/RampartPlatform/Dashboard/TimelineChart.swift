import Foundation

/// The overview's bar chart as inline SVG: one stacked bar (blocked under monitored) per time bucket.
/// Built only from numbers and dates, so it is safe to insert unescaped.
enum TimelineChart {
    static func svg(_ buckets: [OverviewData.Bucket], bucketSeconds: Int, width: Int = 960, height: Int = 200) -> String {
        let left = 40.0, bottom = 24.0, top = 10.0
        let plotWidth = Double(width) - left - 10
        let plotHeight = Double(height) - bottom - top
        // The axis top is a multiple of 4 ticks with whole-number steps.
        let tallest = max(1, buckets.map { $0.blocked + $0.monitored }.max() ?? 1)
        let step = (tallest + 3) / 4
        let maximum = step * 4
        let slot = plotWidth / Double(max(buckets.count, 1))
        let barWidth = max(1, slot * 0.8)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"Attacks over time\" id=\"attacks-chart\">"
        for tick in 0...4 {
            let y = top + plotHeight - plotHeight * Double(tick) / 4
            svg += "<line x1=\"\(format(left))\" y1=\"\(format(y))\" x2=\"\(width - 10)\" y2=\"\(format(y))\" stroke=\"#e3e7ee\"/>"
            svg += "<text x=\"\(format(left - 4))\" y=\"\(format(y + 4))\" font-size=\"10\" text-anchor=\"end\" fill=\"#5d6778\">\(tick * step)</text>"
        }
        let formatter = labelFormatter(bucketSeconds: bucketSeconds)
        for (index, bucket) in buckets.enumerated() {
            let x = left + Double(index) * slot + (slot - barWidth) / 2
            let blockedHeight = plotHeight * Double(bucket.blocked) / Double(maximum)
            let monitoredHeight = plotHeight * Double(bucket.monitored) / Double(maximum)
            let baseline = top + plotHeight
            let label = formatter(bucket.start)
            svg += "<g class=\"bar\"><title>\(label): \(bucket.blocked) blocked, \(bucket.monitored) monitored</title>"
            if bucket.blocked > 0 {
                svg += "<rect x=\"\(format(x))\" y=\"\(format(baseline - blockedHeight))\" width=\"\(format(barWidth))\" height=\"\(format(blockedHeight))\" fill=\"#c0392b\" data-blocked=\"\(bucket.blocked)\"/>"
            }
            if bucket.monitored > 0 {
                svg += "<rect x=\"\(format(x))\" y=\"\(format(baseline - blockedHeight - monitoredHeight))\" width=\"\(format(barWidth))\" height=\"\(format(monitoredHeight))\" fill=\"#d68910\" data-monitored=\"\(bucket.monitored)\"/>"
            }
            svg += "</g>"
            let labelEvery = max(1, buckets.count / 8)
            if index % labelEvery == 0 {
                svg += "<text x=\"\(format(x + barWidth / 2))\" y=\"\(height - 6)\" font-size=\"10\" text-anchor=\"middle\" fill=\"#5d6778\">\(label)</text>"
            }
        }
        svg += "<line x1=\"\(format(left))\" y1=\"\(format(top + plotHeight))\" x2=\"\(width - 10)\" y2=\"\(format(top + plotHeight))\" stroke=\"#5d6778\"/>"
        return svg + "</svg>"
    }

    private static func format(_ value: Double) -> String {
        String(format: "%.1f", value)
    }

    private static func labelFormatter(bucketSeconds: Int) -> (Date) -> String {
        let style: Date.FormatStyle =
            bucketSeconds >= 86_400 / 2
            ? Date.FormatStyle(date: .abbreviated, time: .omitted, timeZone: .gmt)
            : (bucketSeconds >= 3600
                ? Date.FormatStyle(date: .numeric, time: .shortened, timeZone: .gmt)
                : Date.FormatStyle(date: .omitted, time: .shortened, timeZone: .gmt))
        return { $0.formatted(style) }
    }
}
