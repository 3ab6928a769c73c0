import Foundation

/// Stored form of a leaf input (JSON in the database, and the API's wire format):
/// `{"kind": "ratio", "numerator": 45, "denominator": 50}`. One field per kind, so old rows
/// stay readable when new kinds are added.
extension LeafInput: Codable {
    private enum Key: String, CodingKey { case kind, value, numerator, denominator, level, count, points, values }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        switch try c.decode(String.self, forKey: .kind) {
        case "not_applicable": self = .notApplicable
        case "yes_no": self = .yesNo(try c.decode(Bool.self, forKey: .value))
        case "level": self = .level(try c.decode(String.self, forKey: .level))
        case "ratio": self = .ratio(numerator: try c.decode(Double.self, forKey: .numerator),
                                    denominator: try c.decode(Double.self, forKey: .denominator))
        case "value": self = .value(try c.decode(Double.self, forKey: .value))
        case "count": self = .count(try c.decode(Int.self, forKey: .count))
        case "points": self = .points(try c.decode(Double.self, forKey: .points))
        case "values": self = .values(try c.decode([String: Double].self, forKey: .values))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "unknown input kind \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case .notApplicable: try c.encode("not_applicable", forKey: .kind)
        case let .yesNo(v): try c.encode("yes_no", forKey: .kind); try c.encode(v, forKey: .value)
        case let .level(id): try c.encode("level", forKey: .kind); try c.encode(id, forKey: .level)
        case let .ratio(n, d):
            try c.encode("ratio", forKey: .kind); try c.encode(n, forKey: .numerator); try c.encode(d, forKey: .denominator)
        case let .value(v): try c.encode("value", forKey: .kind); try c.encode(v, forKey: .value)
        case let .count(n): try c.encode("count", forKey: .kind); try c.encode(n, forKey: .count)
        case let .points(p): try c.encode("points", forKey: .kind); try c.encode(p, forKey: .points)
        case let .values(v): try c.encode("values", forKey: .kind); try c.encode(v, forKey: .values)
        }
    }
}
