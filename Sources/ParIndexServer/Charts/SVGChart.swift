import Foundation
import ParIndexCore

/// Charts drawn by ParIndex itself as SVG (no script, no outside network): they print, they
/// scale, and screen readers get their title and a text equivalent. Labels are escaped.
enum SVGChart {
    /// Band colours: ≥ 90 % green, 80 – 90 % blue, 70 – 80 % amber, below red.
    static func colour(forPercent p: Double) -> String {
        p >= 90 ? "#2e7d32" : p >= 80 ? "#1565c0" : p >= 70 ? "#ef8f00" : "#c62828"
    }


    /// Horizontal bars, one per item, on a 0–100 % scale with gridlines at every 10 %.
    static func ranking(title: String, items: [(label: String, percent: Double)]) -> String {
        let rowHeight = 22.0, labelWidth = 260.0, barWidth = 420.0, top = 28.0
        let height = top + Double(items.count) * rowHeight + 24
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(Int(labelWidth + barWidth + 70)) \(Int(height))\" class=\"chart\" aria-labelledby=\"t\"><title>\(XMLText.escape(title))</title>"
        svg += "<text x=\"0\" y=\"16\" font-size=\"14\" font-weight=\"bold\">\(XMLText.escape(title))</text>"
        for g in stride(from: 0, through: 100, by: 10) {
            let x = labelWidth + barWidth * Double(g) / 100
            svg += "<line x1=\"\(x)\" y1=\"\(top - 4)\" x2=\"\(x)\" y2=\"\(height - 20)\" stroke=\"#ddd\"/>"
            svg += "<text x=\"\(x)\" y=\"\(height - 6)\" font-size=\"10\" text-anchor=\"middle\" fill=\"#555\">\(g)</text>"
        }
        for (i, item) in items.enumerated() {
            let y = top + Double(i) * rowHeight
            let w = barWidth * min(max(item.percent, 0), 100) / 100
            svg += "<text x=\"\(labelWidth - 6)\" y=\"\(y + 15)\" font-size=\"12\" text-anchor=\"end\">\(XMLText.escape(item.label))</text>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(w)\" height=\"\(rowHeight - 6)\" fill=\"\(colour(forPercent: item.percent))\"/>"
            svg += "<text x=\"\(labelWidth + w + 4)\" y=\"\(y + 15)\" font-size=\"11\">\(VietnameseNumber.format(item.percent))</text>"
        }
        return svg + "</svg>"
    }

    /// How many units fall in each band, as columns.
    static func distribution(title: String, bands: [(label: String, count: Int, colour: String)]) -> String {
        let width = 160.0, height = 180.0, top = 28.0, base = 140.0
        let most = Double(max(bands.map(\.count).max() ?? 1, 1))
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(Int(width * Double(max(bands.count, 1)) + 20)) \(Int(height))\" class=\"chart\"><title>\(XMLText.escape(title))</title>"
        svg += "<text x=\"0\" y=\"16\" font-size=\"14\" font-weight=\"bold\">\(XMLText.escape(title))</text>"
        for (i, b) in bands.enumerated() {
            let h = (base - top - 10) * Double(b.count) / most
            let x = 20 + Double(i) * width
            svg += "<rect x=\"\(x)\" y=\"\(base - h)\" width=\"\(width - 40)\" height=\"\(h)\" fill=\"\(b.colour)\"/>"
            svg += "<text x=\"\(x + (width - 40) / 2)\" y=\"\(base - h - 4)\" font-size=\"13\" text-anchor=\"middle\" font-weight=\"bold\">\(b.count)</text>"
            svg += "<text x=\"\(x + (width - 40) / 2)\" y=\"\(base + 16)\" font-size=\"11\" text-anchor=\"middle\">\(XMLText.escape(b.label))</text>"
        }
        return svg + "</svg>"
    }

    /// A unit's percentage per field beside the average of all units.
    static func profile(title: String, fields: [(code: String, unit: Double?, average: Double?)]) -> String {
        let col = 56.0, top = 28.0, base = 190.0, height = 230.0
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(Int(col * Double(fields.count) + 60)) \(Int(height))\" class=\"chart profile\"><title>\(XMLText.escape(title))</title>"
        svg += "<text x=\"0\" y=\"16\" font-size=\"14\" font-weight=\"bold\">\(XMLText.escape(title))</text>"
        svg += "<rect x=\"40\" y=\"\(height - 14)\" width=\"10\" height=\"10\" fill=\"#1565c0\"/><text x=\"54\" y=\"\(height - 5)\" font-size=\"10\">Đơn vị</text>"
        svg += "<rect x=\"110\" y=\"\(height - 14)\" width=\"10\" height=\"10\" fill=\"#9e9e9e\"/><text x=\"124\" y=\"\(height - 5)\" font-size=\"10\">Trung bình</text>"
        for (i, f) in fields.enumerated() {
            let x = 40 + Double(i) * col
            for (j, v) in [f.unit, f.average].enumerated() {
                guard let v else { continue }
                let h = (base - top) * min(max(v, 0), 100) / 100
                svg += "<rect x=\"\(x + Double(j) * 20)\" y=\"\(base - h)\" width=\"18\" height=\"\(h)\" fill=\"\(j == 0 ? "#1565c0" : "#9e9e9e")\"><title>\(VietnameseNumber.format(v)) %</title></rect>"
            }
            svg += "<text x=\"\(x + 19)\" y=\"\(base + 14)\" font-size=\"11\" text-anchor=\"middle\">LV \(XMLText.escape(f.code))</text>"
        }
        return svg + "</svg>"
    }
}

extension SVGChart {
    /// A unit's index over the years, one point per year, on a 0–100 % scale.
    static func trend(title: String, points: [(year: Int, percent: Double)]) -> String {
        let width = 360.0, height = 200.0, left = 36.0, top = 28.0, base = 170.0
        let step = points.count > 1 ? (width - left - 30) / Double(points.count - 1) : 0
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" class=\"chart trend\"><title>\(XMLText.escape(title))</title>"
        svg += "<text x=\"0\" y=\"16\" font-size=\"14\" font-weight=\"bold\">\(XMLText.escape(title))</text>"
        for g in stride(from: 0, through: 100, by: 20) {
            let y = base - (base - top) * Double(g) / 100
            svg += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(width - 10)\" y2=\"\(y)\" stroke=\"#e0e0e0\"/><text x=\"\(left - 4)\" y=\"\(y + 4)\" font-size=\"10\" text-anchor=\"end\" fill=\"#555\">\(g)</text>"
        }
        let xy = points.enumerated().map { i, p in (x: left + 15 + Double(i) * step, y: base - (base - top) * min(max(p.percent, 0), 100) / 100, p: p) }
        if xy.count > 1 {
            svg += "<polyline fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\" points=\"\(xy.map { "\($0.x),\($0.y)" }.joined(separator: " "))\"/>"
        }
        for q in xy {
            svg += "<circle cx=\"\(q.x)\" cy=\"\(q.y)\" r=\"4\" fill=\"\(colour(forPercent: q.p.percent))\"/>"
            svg += "<text x=\"\(q.x)\" y=\"\(q.y - 8)\" font-size=\"11\" text-anchor=\"middle\">\(VietnameseNumber.format(q.p.percent))</text>"
            svg += "<text x=\"\(q.x)\" y=\"\(base + 16)\" font-size=\"11\" text-anchor=\"middle\">\(q.p.year)</text>"
        }
        return svg + "</svg>"
    }
}

extension SVGChart {
    /// A figure over a unit's periods (issue #14: "any unit's series over periods"), scaled to
    /// its largest value, each point labelled in Vietnamese notation.
    static func series(title: String, points: [(label: String, value: Double)]) -> String {
        let width = max(360.0, 90.0 * Double(points.count) + 60), height = 200.0, left = 20.0, top = 34.0, base = 160.0
        let most = max(points.map(\.value).max() ?? 1, 1)
        let step = points.count > 1 ? (width - left - 60) / Double(points.count - 1) : 0
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" class=\"chart series\"><title>\(XMLText.escape(title))</title>"
        svg += "<text x=\"0\" y=\"16\" font-size=\"14\" font-weight=\"bold\">\(XMLText.escape(title))</text>"
        let xy = points.enumerated().map { i, p in (x: left + 30 + Double(i) * step, y: base - (base - top) * p.value / most, p: p) }
        if xy.count > 1 {
            svg += "<polyline fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\" points=\"\(xy.map { "\($0.x),\($0.y)" }.joined(separator: " "))\"/>"
        }
        for q in xy {
            svg += "<circle cx=\"\(q.x)\" cy=\"\(q.y)\" r=\"4\" fill=\"#1565c0\"/>"
            svg += "<text x=\"\(q.x)\" y=\"\(q.y - 8)\" font-size=\"11\" text-anchor=\"middle\">\(XMLText.escape(VietnameseNumber.format(q.p.value)))</text>"
            svg += "<text x=\"\(q.x)\" y=\"\(base + 18)\" font-size=\"11\" text-anchor=\"middle\">\(XMLText.escape(q.p.label))</text>"
        }
        return svg + "</svg>"
    }
}
