import Foundation
import Vapor

/// A file sent as an attachment, with a Vietnamese name kept intact for browsers that read
/// `filename*` and an ASCII fallback for the others.
enum Download {
    static let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    static let csv = "text/csv; charset=utf-8"

    static func response(_ data: Data, filename: String, contentType: String) -> Response {
        let encoded = filename.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "tep"
        let ascii = String(filename.unicodeScalars.filter { $0.isASCII && $0 != "\"" }.map(Character.init))
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: contentType)
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
