import Fluent
import Foundation
import ParIndexCore
import ParIndexServer

/// One generated evidence document: a small PDF with a real-looking document number and date.
struct DemoDocument: Sendable {
    var leafCodes: [String]
    var number: String
    var date: Date
    var issuer: String
    var title: String
    var filename: String
    var data: Data
    var sha256: String
}

/// Evidence for a unit's self-assessment: documents attached to a subset of the leaves it
/// scored, as a reporter would (plans early in the year, reports later, decisions for
/// recognised initiatives), each a generated PDF.
enum DemoEvidence {
    struct Unit {
        var code: String
        var name: String
        var kind: UnitKind
    }

    /// `count` documents for leaves with points (a document proving nothing is not attached).
    /// Leaves whose framework entry names the evidence it asks for come first.
    static func documents(_ framework: Framework, unit: Unit, year: Int, entries: [DemoEntry], count: Int) -> [DemoDocument] {
        var rng = DemoRandom("evidence/\(year)/\(unit.code)")
        let scored = Set(entries.filter { $0.points > 0 }.map(\.leafCode))
        let leaves = DemoEntries.leaves(framework).filter { $0.role == .scored && scored.contains($0.node.code) }.map(\.node)
        let asked = rng.shuffled(leaves.filter { !$0.evidence.isEmpty })
        let others = rng.shuffled(leaves.filter { $0.evidence.isEmpty })
        // First which documents prove which leaves, then their numbers, dates and files.
        var specs: [(kind: Kind, title: String, codes: [String])] = [], used = Set<String>()
        for node in asked + others where specs.count < count && !used.contains(node.code) {
            let (kind, title) = describe(node, year: year)
            // "Kế hoạch CCHC năm 2022" and "Kế hoạch CCHC năm 2022 của cơ quan" are one plan:
            // a unit attaches its yearly plan once and links it to every criterion it proves.
            if let i = specs.firstIndex(where: { $0.kind == kind && ($0.title.hasPrefix(title) || title.hasPrefix($0.title)) }) {
                specs[i].codes.append(node.code)
                if title.count > specs[i].title.count { specs[i].title = title }
                used.insert(node.code)
                continue
            }
            var codes = [node.code]
            // Sometimes one document proves a sibling criterion too (a report covers several).
            if rng.chance(0.3), let sibling = leaves.first(where: { $0.code != node.code && !used.contains($0.code)
                && parent($0.code) == parent(node.code) }) {
                codes.append(sibling.code)
            }
            used.formUnion(codes)
            specs.append((kind, title, codes))
        }
        var numbers = Set<String>()
        return specs.map { spec in
            var number: String
            repeat { number = documentNumber(spec.kind, unit: unit, rng: &rng) } while numbers.contains(number)
            numbers.insert(number)
            let date = documentDate(spec.kind, year: year, rng: &rng)
            let codes = spec.codes.sorted { $0.compare($1, options: .numeric) == .orderedAscending }
            let data = DemoPDF.make(title: spec.title, lines: pdfLines(unit: unit, number: number, date: date,
                                                                       title: spec.title, codes: codes))
            return DemoDocument(leafCodes: codes, number: number, date: date, issuer: unit.name, title: spec.title,
                                filename: number.replacingOccurrences(of: "/", with: "-") + ".pdf", data: data,
                                sha256: EvidenceStore.sha256(data))
        }
    }

    private static func parent(_ code: String) -> String {
        code.split(separator: ".").dropLast().joined(separator: ".")
    }

    /// Document kinds and their symbols (Nghị định 30/2020/NĐ-CP, appendix III).
    enum Kind: String {
        case plan = "KH", report = "BC", decision = "QĐ", minutes = "BB", letter = ""
    }

    /// The document's kind and title: from the evidence the criterion asks for when the
    /// framework names it, otherwise a report on the criterion.
    static func describe(_ node: FrameworkNode, year: Int) -> (Kind, String) {
        guard var text = node.evidence.first?.split(separator: ";").first.map(String.init) else {
            return (.report, "Báo cáo kết quả thực hiện: \(DemoEntries.lowerFirst(node.title)) năm \(year)")
        }
        if let open = text.firstIndex(of: "(") { text = String(text[..<open]) }
        text = text.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("Các ") { text = String(text.dropFirst(4)) }
        text = text.prefix(1).uppercased() + text.dropFirst()
        // "Kế hoạch CCHC năm của cơ quan" → "Kế hoạch CCHC năm 2022 của cơ quan".
        if let r = text.range(of: " năm", options: .backwards), r.upperBound == text.endIndex
            || text[r.upperBound] == " " { text.replaceSubrange(r, with: " năm \(year)") } else { text += " năm \(year)" }
        let lower = text.lowercased()
        let kind: Kind = lower.hasPrefix("kế hoạch") ? .plan : lower.hasPrefix("quyết định") ? .decision
            : lower.hasPrefix("biên bản") ? .minutes : lower.hasPrefix("văn bản") ? .letter : .report
        return (kind, text)
    }

    /// `54/KH-SNV` for a department, `12/BC-UBND` for a district; official letters carry the
    /// issuer then the drafting office (`508/SNV-VP`, `215/UBND-VP`).
    static func documentNumber(_ kind: Kind, unit: Unit, rng: inout DemoRandom) -> String {
        let issuer = unit.kind == .department ? unit.code : "UBND"
        switch kind {
        case .letter: return "\(rng.int(in: 100...2400))/\(issuer)-VP"
        case .decision: return "\(rng.int(in: 50...1800))/QĐ-\(issuer)"
        case .plan: return "\(String(format: "%02d", rng.int(in: 1...160)))/KH-\(issuer)"
        default: return "\(rng.int(in: 5...420))/\(kind.rawValue)-\(issuer)"
        }
    }

    /// Plans are issued early in the year, reports later; nothing after mid-December, before
    /// the self-assessment opens.
    static func documentDate(_ kind: Kind, year: Int, rng: inout DemoRandom) -> Date {
        let month = kind == .plan ? rng.int(in: 1...3) : kind == .report ? rng.int(in: 6...12) : rng.int(in: 2...11)
        let day = rng.int(in: 1...(month == 12 ? 15 : 28))
        return DemoCalendar.day(day, month, year)
    }

    static func pdfLines(unit: Unit, number: String, date: Date, title: String, codes: [String]) -> [String] {
        let c = VietnameseDate.calendar.dateComponents([.day, .month, .year], from: date)
        let issuer = (unit.kind == .department ? ["UBND TỈNH HẢI DƯƠNG"] : []) + [unit.name.uppercased()]
        return ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", ""] + issuer + ["Số: \(number)",
                "Hải Dương, ngày \(String(format: "%02d", c.day!)) tháng \(String(format: "%02d", c.month!)) năm \(c.year!)", ""]
            + DemoPDF.wrap(title.uppercased()) + ["",
               "Tài liệu kiểm chứng cho tiêu chí: \(codes.joined(separator: ", ")).",
               "Tài liệu mẫu do ParIndex tạo cho bản trình diễn; không có giá trị pháp lý."]
    }

    // MARK: Storing

    /// Writes every file to the content-addressed store (before the database transaction, like
    /// an upload) and returns the hashes that were new, so a failed load can remove them.
    static func writeFiles(_ documents: [DemoDocument], to store: EvidenceStore) throws -> [String] {
        var written: [String] = []
        for d in documents where try store.put(d.data, sha: d.sha256) { written.append(d.sha256) }
        return written
    }

    /// File, document and link rows for documents already on disk. Files are shared by hash
    /// (the same bytes are one file, as with uploads).
    static func insert(_ documents: [(assessmentID: UUID, document: DemoDocument, uploadedBy: String)],
                       on db: any Database) async throws -> (files: Int, documents: Int) {
        guard !documents.isEmpty else { return (0, 0) }
        let shas = Array(Set(documents.map(\.document.sha256)))
        var fileIDs: [String: UUID] = [:]
        for chunk in DemoInsert.chunks(shas, 400) {
            for f in try await EvidenceFileModel.query(on: db).filter(\.$sha256 ~~ chunk).all() { fileIDs[f.sha256] = f.id! }
        }
        var files: [EvidenceFileModel] = []
        for d in documents.map(\.document) where fileIDs[d.sha256] == nil {
            let f = EvidenceFileModel()
            f.id = UUID()
            f.sha256 = d.sha256
            f.size = d.data.count
            f.fileType = EvidenceFileType.pdf.rawValue
            fileIDs[d.sha256] = f.id
            files.append(f)
        }
        try await DemoInsert.all(files, on: db)
        var docs: [EvidenceDocumentModel] = [], links: [EvidenceLinkModel] = []
        for (assessmentID, d, by) in documents {
            let m = EvidenceDocumentModel()
            m.id = UUID()
            m.$assessment.id = assessmentID
            m.documentNumber = d.number
            m.documentDate = d.date
            m.issuer = d.issuer
            m.title = d.title
            m.$file.id = fileIDs[d.sha256]!
            m.filename = d.filename
            m.replacesID = nil
            m.superseded = false
            m.uploadedBy = by
            docs.append(m)
            links += d.leafCodes.map { EvidenceLinkModel(documentID: m.id!, leafCode: $0) }
        }
        try await DemoInsert.all(docs, on: db)
        try await DemoInsert.all(links, on: db)
        return (files.count, docs.count)
    }
}

/// Multi-row inserts: one statement per few hundred rows instead of one per row keeps the
/// demo load well under the 5 s budget on SQLite. Chunks stay under SQLite's and PostgreSQL's
/// limits on bound parameters.
enum DemoInsert {
    static func all<M: Model>(_ models: [M], on db: any Database) async throws {
        for chunk in chunks(models, 300) { try await chunk.create(on: db) }
    }

    static func chunks<T>(_ items: [T], _ size: Int) -> [[T]] {
        stride(from: 0, to: items.count, by: size).map { Array(items[$0..<min($0 + size, items.count)]) }
    }
}
