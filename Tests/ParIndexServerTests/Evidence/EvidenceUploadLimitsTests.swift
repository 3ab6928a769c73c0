import Fluent
import Foundation
import ParIndexCore
import Testing
import Vapor
import VaporTesting
@testable import ParIndexServer

/// Evidence as a careless or hostile uploader sends it (issue 20): a PDF named `.html`, a file
/// over the limit, a storage folder that cannot be written.
@Suite struct EvidenceUploadLimitsTests {
    static let fields = ["documentNumber": "54/KH-UBND", "documentDate": "28/04/2022", "issuer": "Sở Nội vụ",
                         "title": "Kế hoạch CCHC năm 2022", "leafCodes": "1.1.1"]
    static let pdf = Data("%PDF-1.4\n% Kế hoạch\n%%EOF\n".utf8)

    @Test(arguments: Engine.available)
    func aFileKeepsTheExtensionOfItsDetectedTypeWhenStoredAndServed(engine: Engine) async throws {
        try await withTestApp(engine, settings: .testing { $0.dataDirectory = Fixtures.tempDirectory() }) { app in
            let w = try await SelfAssessmentTests.world(app)
            let up = try await w.reporter.upload("/api/v1/assessments/\(w.snvAssessment)/evidence", file: Self.pdf,
                                                 filename: "bao-cao.html", fields: Self.fields)
            #expect(up.status == .created, "\(up.body.string)")
            #expect(up.json["filename"] as? String == "bao-cao.pdf")
            let id = try #require(up.json["id"] as? String)
            // A name stored before the rule existed is corrected on the way out.
            let doc = try #require(try await EvidenceDocumentModel.find(UUID(uuidString: id), on: app.db))
            doc.filename = "ke-hoach.html"
            try await doc.save(on: app.db)
            let dl = try await w.reporter.send(.GET, "/api/v1/evidence/\(id)/download")
            #expect(dl.status == .ok)
            #expect(dl.headers.first(name: .contentDisposition)?.contains("filename=\"ke-hoach.pdf\"") == true)
            #expect(dl.headers.contentType?.description.hasPrefix("application/pdf") == true)
            #expect(dl.headers.first(name: .cacheControl) == "no-store")
            #expect(dl.headers.first(name: "X-Content-Type-Options") == "nosniff")
        }
    }

    @Test(arguments: [("bao-cao.html", EvidenceFileType.pdf, "bao-cao.pdf"), ("anh.JPEG", .jpeg, "anh.JPEG"),
                      ("anh.png", .jpeg, "anh.jpg"), ("Kế hoạch.pdf", .pdf, "Kế hoạch.pdf"), ("README", .docx, "README.docx"),
                      (".html", .pdf, "html.pdf"), ("a.tar.gz", .xlsx, "a.tar.xlsx")])
    func namesEndInTheDetectedExtension(raw: String, type: EvidenceFileType, expected: String) {
        #expect(SafeFilename.named(raw, as: type) == expected)
    }

    @Test(arguments: Engine.available)
    func aFileOverTheLimitIsRefusedWithTheLimitAndNothingStored(engine: Engine) async throws {
        let settings = Settings.testing {
            $0.dataDirectory = Fixtures.tempDirectory()
            $0.evidenceMaxBytes = 1 << 20
        }
        try await withTestApp(engine, settings: settings) { app in
            let w = try await SelfAssessmentTests.world(app)
            let big = Self.pdf + Data(repeating: 0x20, count: 2 << 20)
            let up = try await w.reporter.upload("/api/v1/assessments/\(w.snvAssessment)/evidence", file: big,
                                                 filename: "lon.pdf", fields: Self.fields)
            #expect(up.status == .payloadTooLarge)
            #expect(up.problemCode == "upload.too_large")
            #expect((up.json["detail"] as? String)?.contains("giới hạn 1 MB") == true, "\(up.body.string)")
            #expect(try await EvidenceDocumentModel.query(on: app.db).count() == 0)
            // Just under the limit still goes through.
            let fits = try await w.reporter.upload("/api/v1/assessments/\(w.snvAssessment)/evidence",
                                                   file: Self.pdf + Data(repeating: 0x20, count: 1_000_000),
                                                   filename: "vua.pdf", fields: Self.fields)
            #expect(fits.status == .created, "\(fits.body.string)")
        }
    }

    @Test(arguments: Engine.available)
    func anUnwritableEvidenceFolderIsToldAsSuchAndSeenByReadyz(engine: Engine) async throws {
        let dir = Fixtures.tempDirectory()
        // A plain file where the evidence folder should be: no folder can be made there, even as
        // root (CI runs as root, so permissions alone would not stop the write).
        FileManager.default.createFile(atPath: dir + "/evidence", contents: Data("x".utf8))
        try await withTestApp(engine, settings: .testing { $0.dataDirectory = dir }) { app in
            let w = try await SelfAssessmentTests.world(app)
            let up = try await w.reporter.upload("/api/v1/assessments/\(w.snvAssessment)/evidence", file: Self.pdf,
                                                 filename: "a.pdf", fields: Self.fields)
            #expect(up.status == .serviceUnavailable, "\(up.body.string)")
            #expect(up.problemCode == "storage.files_unwritable")
            #expect((up.json["detail"] as? String)?.contains("Chưa có gì được lưu") == true)
            #expect(try await EvidenceDocumentModel.query(on: app.db).count() == 0)
            let ready = try await app.testing().sendRequest(.GET, "/readyz")
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.json["status"] as? String == "files_unwritable")
            #expect(ready.json["filesWritable"] as? Bool == false)
            #expect(ready.json["databaseWritable"] as? Bool == true)
        }
    }
}
