import Receivables

/// The aging as an inline SVG bar chart drawn on the server: no script, nothing loaded from elsewhere.
enum AgingChart {
    static let width = 560
    static let height = 180

    /// Bars of `amounts` (all of one currency) under `labels`.
    static func svg(labels: [String], amounts money: [Money]) -> String {
        let amounts = money.map(\.minorUnits)
        let largest = max(amounts.max() ?? 0, 1)
        // Minor units per pixel, in integers: the chart never turns money into floating point.
        let unit = max(largest / Int64(height - 50), 1)
        let slot = width / max(labels.count, 1)
        var bars = ""
        for (index, amount) in amounts.enumerated() {
            let barHeight = Int(min(max(amount, 0) / unit, Int64(height - 50)))
            let x = index * slot + 10
            let y = height - 30 - barHeight
            let colour = index == 0 ? "#4a7c59" : (index == amounts.count - 1 ? "#b03a2e" : "#c98b2b")
            bars += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(slot - 20)\" height=\"\(barHeight)\" fill=\"\(colour)\"><title>\(escape(labels[index])): \(escape(Display.money(money[index])))</title></rect>"
            bars += "<text x=\"\(x + (slot - 20) / 2)\" y=\"\(height - 12)\" text-anchor=\"middle\" font-size=\"12\">\(escape(labels[index]))</text>"
            bars += "<text x=\"\(x + (slot - 20) / 2)\" y=\"\(max(y - 4, 12))\" text-anchor=\"middle\" font-size=\"11\">\(escape(Display.money(money[index])))</text>"
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" class=\"chart\">\(bars)</svg>"
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "&": result += "&amp;"
            case "\"": result += "&quot;"
            default: result.append(character)
            }
        }
        return result
    }
}
