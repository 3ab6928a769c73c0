import Foundation
@testable import ParIndexCore

/// The form files kept at the repository root (`Forms/*.yaml`).
enum RepositoryForms {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Forms")

    static let formFiles = ["tthc-ket-qua-giai-quyet.yaml", "tthc-thuoc-tham-quyen.yaml", "dich-vu-cong-truc-tuyen.yaml",
                            "so-hoa-ho-so.yaml", "phan-anh-kien-nghi.yaml"]
    static let outlineFile = "de-cuong-bao-cao-cchc-dinh-ky.yaml"

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func load(_ name: String) throws -> ReportForm { try ReportFormYAML.load(text(name)) }

    static func compiled(_ name: String, rows: [FormRow] = [], settings: Set<String>? = nil) throws -> CompiledForm {
        try CompiledForm(load(name), rows: rows, settings: settings)
    }
}

extension CompiledForm {
    /// A grid from `[row: [column: value]]`, for tests.
    func grid(_ rows: [String: [String: Int]]) throws -> FormGrid {
        var values: [CellKey: CellValue] = [:]
        for (r, cols) in rows { for (c, v) in cols { values[CellKey(row: r, column: c)] = .number(Decimal(v)) } }
        return try grid(values)
    }
}

/// Seed 003 (Sở Nội vụ Hà Tĩnh, report of 01/2024), section I.7, typed into form 06's total row.
enum Seed003 {
    static let y2021 = ["c3": 599, "c4": 73, "c5": 508, "c6": 21, "c7": 532, "c8": 0, "c9": 532, "c10": 0, "c11": 67, "c12": 67, "c13": 0]
    static let y2022 = ["c3": 1170, "c4": 369, "c5": 801, "c6": 0, "c7": 976, "c8": 0, "c9": 976, "c10": 0, "c11": 194, "c12": 194, "c13": 0]
    // 2023 states no "trước hạn" (c8).
    static let y2023 = ["c3": 2363, "c4": 1146, "c5": 1123, "c6": 194, "c7": 2198, "c9": 2198, "c10": 0, "c11": 165, "c12": 165, "c13": 0]
}
