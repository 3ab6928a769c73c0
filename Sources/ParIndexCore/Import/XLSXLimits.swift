import Foundation

/// What an uploaded workbook may cost before it is refused.
///
/// Issue #20 (security probe): a 1,9 MB XLSX pushed the server past 5 GB of memory in 20 s and a
/// 2,6 KB one (a huge column reference padding every row) took 3 GB and 87 s of CPU. Any survey
/// operator can upload a ballot file, so every cost of reading one is bounded here: the ZIP
/// directory is checked before anything is inflated, inflated bytes are counted (headers can
/// lie), and sheets are bounded in cells and width. The defaults are far above any real ballot
/// file or XLSForm (a million-ballot file is ~30 MB of sheet XML) and far below what hurts.
public struct XLSXLimits: Sendable, Equatable {
    /// Entries in the ZIP directory. Excel writes ~10 for a one-sheet workbook.
    public var maxEntries: Int = 1_000
    /// Sum of the uncompressed sizes the ZIP directory declares, and also the most bytes
    /// actually inflated over the whole workbook.
    public var maxTotalUncompressedBytes: UInt64 = 100 * 1_024 * 1_024
    /// Most uncompressed bytes per compressed byte of one entry…
    public var maxCompressionRatio: UInt64 = 100
    /// …checked only for entries above this size: small XML parts of real files compress
    /// very well and cannot hurt anyway.
    public var ratioCheckMinimumBytes: UInt64 = 1_024 * 1_024
    /// Non-empty cells kept per sheet, plus the cells added by padding rows to one width.
    public var maxCellsPerSheet: Int = 2_000_000
    /// Columns of a row: XFD, the last column of Excel's sheet (16.384).
    public var maxColumns: Int = 16_384
    /// Rows of a sheet: Excel's last row (1.048.576).
    public var maxRows: Int = 1_048_576

    public init() {}

    public static let `default` = XLSXLimits()
}
