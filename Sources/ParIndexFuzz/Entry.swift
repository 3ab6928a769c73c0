import Foundation
import ParIndexFixtures
import ParIndexCore

#if PARINDEX_FUZZ
/// libFuzzer's driver, called from `main` (SwiftPM links every executable's `main` to its
/// `@main` type, so the harness cannot leave `main` to libFuzzer).
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// Built by `scripts/fuzz` with `-sanitize=fuzzer,address -D PARINDEX_FUZZ`; the reader is
/// chosen by `PARINDEX_FUZZ_TARGET`.
@main
enum FuzzMain {
    nonisolated(unsafe) static var selected: FuzzTarget = .xlsx

    static func main() {
        let name = ProcessInfo.processInfo.environment["PARINDEX_FUZZ_TARGET"] ?? ""
        guard let t = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("PARINDEX_FUZZ_TARGET must be one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            exit(2)
        }
        selected = t
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { bytes, size in
            let data = bytes.map { Data(bytes: $0, count: size) } ?? Data()
            FuzzMain.selected.run(data)
            return 0
        })
    }
}
#else
/// Without libFuzzer: replays files through a reader, writes the seed workbooks and the
/// decompression bombs of issue #20, and reads one workbook for measurements.
@main
enum FuzzTool {
    static func main() throws {
        let args = Array(CommandLine.arguments.dropFirst())
        switch args.first {
        case "replay" where args.count >= 3:
            guard let target = FuzzTarget(rawValue: args[1]) else { usage() }
            for path in args.dropFirst(2) {
                target.run(try Data(contentsOf: URL(fileURLWithPath: path)))
                print("ok \(path)")
            }
        case "seeds" where args.count == 2:
            try Workbooks.writeSeeds(to: URL(fileURLWithPath: args[1]))
        case "bomb" where args.count == 3:
            guard let bomb = Workbooks.Bomb(rawValue: args[1]) else { usage() }
            try bomb.make().write(to: URL(fileURLWithPath: args[2]))
        case "read-xlsx" where args.count == 2:
            // For `/usr/bin/time -v`: reads every sheet as the ballot import does.
            let data = try Data(contentsOf: URL(fileURLWithPath: args[1]))
            let start = Date()
            do {
                let reader = try XLSXReader(data)
                var cells = 0
                for name in reader.sheetNames { cells += try reader.rows(of: name).reduce(0) { $0 + $1.cells.count } }
                print("read \(cells) cells", terminator: "")
            } catch {
                print("refused: \(error.messageVI)", terminator: "")
            }
            print(String(format: " in %.2f s", Date().timeIntervalSince(start)))
        default:
            usage()
        }
    }

    static func usage() -> Never {
        let targets = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
        let bombs = Workbooks.Bomb.allCases.map(\.rawValue).joined(separator: "|")
        print("""
        usage: ParIndexFuzz replay <\(targets)> FILE…
               ParIndexFuzz seeds DIR          writes the generated XLSX seeds (DIR/xlsx/*.xlsx)
               ParIndexFuzz bomb <\(bombs)> FILE
               ParIndexFuzz read-xlsx FILE
        """)
        exit(2)
    }
}
#endif
