import Foundation
import Yams

/// The `results:` block of a framework file (issue #12): every province's method as data.
///
/// ```yaml
/// results:
///   bands:                       # from the top; a band without `min` takes the rest
///     - {label: Nhóm A, min: 90, colour: "#2e7d32"}
///     - {label: Nhóm B, min: 80}
///     - {label: Nhóm C, min: 70}
///   rating:                      # tried in order; the first a unit meets is its rating
///     tags: [tthc, digital]      # the fields whose % the floors apply to (default: every scored field)
///     rules:
///       - {rating: excellent, index_min: 90, field_min: 80}
///       - {rating: good, index_min: 80, field_min: 70}
///     otherwise: not_completed
///   review: {tags: [tthc, digital], below: 75}
///   total_scale: 100
/// ```
extension ReaderState {
    mutating func readResults(_ node: Node, fields: [FrameworkNode]) -> ResultsConfiguration? {
        let loc = FrameworkLocation(line: YAMLScalars.line(node))
        guard case .mapping(let m) = node else {
            scalars.errors.append(.invalidValue(key: "results", text: "…", expected: "bands, rating, review, total_scale", loc))
            return nil
        }
        scalars.checkKeys(m, allowed: FrameworkYAMLKeys.results, loc)
        let known = Set(fields.flatMap(\.tags))
        // Bands and rating default to seed 004's; a review rule only where the file states one
        // (seed 004's fields 3 and 7 mean nothing in another framework).
        var config = ResultsConfiguration(review: ReviewRule(thresholdPercent: 0), isFrameworks: true)
        if let b = m["bands"] { config.bands = readBands(b, loc) ?? config.bands }
        if let r = m["rating"] { config.rating = readRating(r, known: known, loc) ?? config.rating }
        if let r = m["review"] { config.review = readReview(r, known: known, loc) ?? config.review }
        if let scale = scalars.number("total_scale", in: m, loc, required: false) {
            if scale > 0 && scale <= 10_000 { config.totalScale = scale } else {
                scalars.errors.append(.invalidValue(key: "total_scale", text: scalars.text(m["total_scale"]) ?? "", expected: "một số dương (ví dụ 100)", scalars.at(loc, m["total_scale"])))
            }
        }
        return config
    }

    /// Tags on a node: short lower-case words, as rules name them.
    mutating func readTags(_ m: Node.Mapping, _ loc: FrameworkLocation) -> [String] {
        let tags = scalars.strings("tags", in: m, loc)
        for t in tags where !Self.isTag(t) {
            scalars.errors.append(.invalidValue(key: "tags", text: t, expected: "nhãn viết thường không dấu (a–z, 0–9, _), tối đa 40 ký tự", scalars.at(loc, m["tags"])))
        }
        return tags
    }

    static func isTag(_ t: String) -> Bool {
        !t.isEmpty && t.count <= 40 && t.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
    }

    private mutating func percent(_ key: String, in m: Node.Mapping, _ loc: FrameworkLocation, required: Bool) -> Double? {
        guard let v = scalars.number(key, in: m, loc, required: required) else { return nil }
        guard (0...100).contains(v) else {
            scalars.errors.append(.invalidValue(key: key, text: scalars.text(m[key]) ?? "", expected: "một tỷ lệ từ 0 đến 100", scalars.at(loc, m[key])))
            return nil
        }
        return v
    }

    private mutating func readBands(_ node: Node, _ parent: FrameworkLocation) -> BandTable? {
        guard case .sequence(let seq) = node, !seq.isEmpty else {
            scalars.errors.append(.invalidValue(key: "bands", text: "…", expected: "danh sách các nhóm (label, min, colour)", scalars.at(parent, node)))
            return nil
        }
        var bands: [BandRule] = []
        var previous: (min: Double, line: Int?)?
        var floorLine: Int?
        var labels: [String: Int?] = [:]
        for item in seq {
            let loc = FrameworkLocation(line: YAMLScalars.line(item))
            guard case .mapping(let m) = item else {
                scalars.errors.append(.invalidValue(key: "bands", text: "…", expected: "một nhóm (label, min, colour)", loc)); continue
            }
            scalars.checkKeys(m, allowed: FrameworkYAMLKeys.resultsBand, loc)
            guard let label = scalars.string("label", in: m, loc) else { continue }
            if let first = labels[label] { scalars.errors.append(.duplicateCode(label, loc, firstLine: first)) } else { labels[label] = loc.line }
            let min = percent("min", in: m, loc, required: false)
            var colour = scalars.string("colour", in: m, loc, required: false)
            if let c = colour, !(c.count == 7 && c.hasPrefix("#") && c.dropFirst().allSatisfy(\.isHexDigit)) {
                scalars.errors.append(.invalidValue(key: "colour", text: c, expected: "mã màu #rrggbb (ví dụ \"#2e7d32\", trong dấu ngoặc kép)", scalars.at(loc, m["colour"])))
                colour = nil
            }
            if let floorLine {
                scalars.errors.append(.invalidText(key: "bands", detailVI: "Nhóm “\(label)” đứng sau nhóm không có ngưỡng (dòng \(floorLine)), là nhóm nhận mọi đơn vị còn lại: nhóm đó phải ở cuối.", loc))
            }
            if let min {
                if let previous, min >= previous.min {
                    scalars.errors.append(.invalidText(key: "bands", detailVI: "Các nhóm phải xếp từ cao xuống thấp và không trùng nhau: ngưỡng \(VietnameseNumber.format(min, fractionDigits: 2)) % của “\(label)” không thấp hơn ngưỡng \(VietnameseNumber.format(previous.min, fractionDigits: 2)) % của nhóm trên nó.", loc))
                }
                previous = (min, loc.line)
                bands.append(BandRule(label: label, minPercent: min, colour: colour))
            } else {
                floorLine = floorLine ?? loc.line
                bands.append(BandRule(label: label, minPercent: -.infinity, colour: colour))
            }
        }
        return BandTable(bands)
    }

    private mutating func readRating(_ node: Node, known: Set<String>, _ parent: FrameworkLocation) -> RatingRuleTable? {
        let loc = scalars.at(parent, node)
        guard case .mapping(let m) = node else {
            scalars.errors.append(.invalidValue(key: "rating", text: "…", expected: "tags, rules, otherwise", loc)); return nil
        }
        scalars.checkKeys(m, allowed: FrameworkYAMLKeys.rating, loc)
        let tags = m["tags"] == nil ? nil : scalars.strings("tags", in: m, loc)
        for t in tags ?? [] where !known.contains(t) { unknownTag(t, "rating", scalars.at(loc, m["tags"]), known) }
        let fallback = scalars.choice("otherwise", in: m, loc, default: HeadRating.notCompleted)
        var rules: [RatingRule] = []
        var lines: [Int?] = []
        guard case .sequence(let seq)? = m["rules"], !seq.isEmpty else {
            scalars.errors.append(m["rules"] == nil ? .missingKey("rules", loc)
                                  : .invalidValue(key: "rules", text: "…", expected: "danh sách các mức (rating, index_min, field_min)", scalars.at(loc, m["rules"])))
            return nil
        }
        for item in seq {
            let l = FrameworkLocation(line: YAMLScalars.line(item))
            guard case .mapping(let r) = item else {
                scalars.errors.append(.invalidValue(key: "rules", text: "…", expected: "một mức (rating, index_min, field_min)", l)); continue
            }
            scalars.checkKeys(r, allowed: FrameworkYAMLKeys.ratingRule, l)
            guard scalars.string("rating", in: r, l) != nil else { continue }
            let rating = scalars.choice("rating", in: r, l, default: HeadRating.notCompleted)
            guard let index = percent("index_min", in: r, l, required: true) else { continue }
            rules.append(RatingRule(rating: rating, minIndexPercent: index, minFieldPercent: percent("field_min", in: r, l, required: false)))
            lines.append(l.line)
        }
        let table = RatingRuleTable(rules: rules, fallback: fallback, fieldTags: tags)
        if let (i, j) = table.unreachable, rules.count == lines.count {
            scalars.errors.append(.invalidText(key: "rating", detailVI: "Mức “\(rules[j].rating.labelVI)” không bao giờ được xếp: mọi đơn vị đạt nó đã đạt mức “\(rules[i].rating.labelVI)” ở dòng \(lines[i].map(String.init) ?? "?") (ngưỡng không cao hơn). Hãy xếp các mức từ cao xuống thấp.", FrameworkLocation(line: lines[j])))
        }
        return table
    }

    private mutating func readReview(_ node: Node, known: Set<String>, _ parent: FrameworkLocation) -> ReviewRule? {
        let loc = scalars.at(parent, node)
        guard case .mapping(let m) = node else {
            scalars.errors.append(.invalidValue(key: "review", text: "…", expected: "tags, below", loc)); return nil
        }
        scalars.checkKeys(m, allowed: FrameworkYAMLKeys.review, loc)
        let tags = scalars.strings("tags", in: m, loc)
        if m["tags"] == nil { scalars.errors.append(.missingKey("tags", loc)) }
        for t in tags where !known.contains(t) { unknownTag(t, "review", scalars.at(loc, m["tags"]), known) }
        guard let below = percent("below", in: m, loc, required: true) else { return nil }
        return ReviewRule(fieldTags: tags, thresholdPercent: below)
    }

    private mutating func unknownTag(_ tag: String, _ key: String, _ loc: FrameworkLocation, _ known: Set<String>) {
        let list = known.isEmpty ? "chưa lĩnh vực nào có nhãn (khóa tags của lĩnh vực)" : "các nhãn có: " + known.sorted().joined(separator: ", ")
        scalars.errors.append(.invalidValue(key: key, text: tag, expected: "nhãn của một lĩnh vực (\(list))", loc))
    }
}
