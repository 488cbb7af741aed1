import Foundation

/// Splits a matched value into plain and highlighted pieces so templates can mark matches while escaping all text.
enum HighlightSegments {
    struct Segment: Sendable, Hashable {
        var text: String
        var isMatch: Bool
    }

    static func split(_ value: String, highlights: [String]) -> [Segment] {
        let needles = highlights.filter { !$0.isEmpty }
        guard !needles.isEmpty else { return [Segment(text: value, isMatch: false)] }
        var segments: [Segment] = []
        var rest = value[...]
        while !rest.isEmpty {
            // The earliest occurrence of any highlight, longest first at the same position.
            var best: Range<Substring.Index>?
            for needle in needles {
                guard let found = rest.range(of: needle) else { continue }
                if let current = best {
                    if found.lowerBound < current.lowerBound
                        || (found.lowerBound == current.lowerBound && found.upperBound > current.upperBound)
                    {
                        best = found
                    }
                } else {
                    best = found
                }
            }
            guard let match = best else {
                segments.append(Segment(text: String(rest), isMatch: false))
                break
            }
            if match.lowerBound > rest.startIndex {
                segments.append(Segment(text: String(rest[rest.startIndex..<match.lowerBound]), isMatch: false))
            }
            segments.append(Segment(text: String(rest[match]), isMatch: true))
            rest = rest[match.upperBound...]
        }
        return segments
    }
}
