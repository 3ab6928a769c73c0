import ArgumentParser
import Foundation
import ParIndexCore

/// `parindex framework validate|diff|show`: check criteria framework files
/// before uploading them, compare two years' versions, print a framework as a tree.
struct FrameworkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "framework",
        abstract: "Check, compare and print criteria framework files (YAML).",
        discussion: """
            A framework file describes one criteria framework (bộ chỉ số): fields → criteria → \
            sub-criteria with max points and, at every leaf, a scoring method. Numbers may be \
            written in Vietnamese notation (71,5). Messages are in Vietnamese. \
            Examples live in the repository's Frameworks/ folder.
            """,
        subcommands: [Validate.self, Diff.self, Show.self]
    )

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a framework file; list every problem with its line and node code.",
            discussion: "Exits with status 1 if the file has any problem; nothing is imported from an invalid file."
        )

        @Argument(help: "The framework YAML file.", completion: .file(extensions: ["yaml", "yml"]))
        var file: String

        func run() async throws {
            let framework = try FrameworkCommand.load(file)
            let criteria = framework.leaves.count
            print("Hợp lệ: \(framework.title) — \(criteria) tiêu chí chấm điểm, "
                  + "tổng \(VietnameseNumber.format(framework.totalMaxPoints)) điểm.")
        }
    }

    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show what changed between two versions of a framework.",
            discussion: "Lists added, removed, moved and renamed nodes, changed maxima and changed scoring methods."
        )

        @Argument(help: "The older framework file (e.g. last year's).", completion: .file(extensions: ["yaml", "yml"]))
        var old: String

        @Argument(help: "The newer framework file.", completion: .file(extensions: ["yaml", "yml"]))
        var new: String

        @Flag(help: "Also print the crosswalk from the new codes to the old ones.")
        var crosswalk = false

        func run() async throws {
            let before = try FrameworkCommand.load(old)
            let after = try FrameworkCommand.load(new)
            let diff = FrameworkDiff.compare(before, after)
            print("So sánh \(before.title) (\(before.version)) → \(after.title) (\(after.version))")
            if diff.isEmpty { print("Không có thay đổi.") }
            for change in diff.changes { print(change.descriptionVI) }
            guard crosswalk else { return }
            let map = Crosswalk.derive(from: before, to: after)
            print("\nĐối chiếu mã (mới → cũ):")
            for flat in after.allNodes {
                print("  \(flat.node.code) → \(map.previousCode(of: flat.node.code) ?? "(mới)")")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a framework as a tree with max points, scoring methods and their rule texts."
        )

        @Argument(help: "The framework YAML file.", completion: .file(extensions: ["yaml", "yml"]))
        var file: String

        @Option(help: "Print nodes down to this depth only (1 = fields).")
        var depth: Int?

        @Flag(inversion: .prefixedNo, help: "Print each leaf's rule text.")
        var rules = true

        func run() async throws {
            let f = try FrameworkCommand.load(file)
            print(f.title)
            print("\(f.unitKind.labelVI) · năm \(f.year) · phiên bản \(f.version) · tổng \(VietnameseNumber.format(f.totalMaxPoints)) điểm")
            if !f.legalBasis.isEmpty { print("Căn cứ: \(f.legalBasis)") }
            for part in f.composition {
                print("  • \(part.name): \(VietnameseNumber.format(part.points)) điểm (\(part.nodeCodes.joined(separator: ", ")))")
            }
            print("")
            for flat in f.allNodes where depth.map({ flat.depth < $0 }) ?? true {
                print(FrameworkCommand.line(for: flat, rules: rules))
            }
        }
    }

    static func line(for flat: FlatNode, rules: Bool) -> String {
        let node = flat.node
        let indent = String(repeating: "  ", count: flat.depth)
        var text = "\(indent)\(node.code) \(node.title) — \(VietnameseNumber.format(node.maxPoints)) điểm"
        switch node.role {
        case .bonus: text += " (điểm thưởng)"
        case .penalty: text += " (điểm trừ)"
        case .scored: break
        }
        if node.allowsNotApplicable { text += " (có thể không áp dụng)" }
        if let method = node.method {
            text += " [\(method.nameVI)]"
            if rules { text += "\n\(indent)    \(method.ruleTextVI(maxPoints: node.maxPoints))" }
        }
        return text
    }

    /// Reads and validates a file; prints every problem in Vietnamese and exits 1 on failure.
    static func load(_ path: String) throws -> Framework {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            printError("Không đọc được tệp \(path) (tệp không tồn tại, không có quyền đọc hoặc không phải UTF-8).")
            throw ExitCode.failure
        }
        do {
            return try FrameworkYAML.load(text)
        } catch {
            printError("\(path): bộ chỉ số có \(error.errors.count) lỗi:")
            for problem in error.errors { printError("  \(problem.messageVI)") }
            throw ExitCode.failure
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
