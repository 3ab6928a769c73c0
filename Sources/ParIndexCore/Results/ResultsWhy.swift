import Foundation

/// Which rule produced each of a unit's headline figures (issue #12 item 3): the index, the
/// band, the rank, the head-of-unit rating and the review flag, in words a council member or a
/// unit can check against the framework's rules.
extension ResultsEngine {
    public func whyVI(_ u: UnitResult, unitCount: Int? = nil) -> [String] {
        func pct(_ v: Double) -> String { VietnameseNumber.format(v, fractionDigits: 2) + " %" }
        func pts(_ v: Double) -> String { VietnameseNumber.format(v, fractionDigits: 2) }
        var out: [String] = []
        let denominator = framework.indexDenominator == .excludingSurveys ? " (không tính phần điều tra xã hội học)" : ""
        out.append("Chỉ số \(pct(u.indexPercent)) = \(pts(u.rawPoints)) điểm ÷ \(pts(u.applicableMax)) điểm tối đa được tính\(denominator), chưa làm tròn.")
        if u.ranked {
            let change: String = switch (u.previousRank, u.rankChange) {
            case let (before?, c?): " Năm trước hạng \(before): " + (c > 0 ? "tăng \(c) bậc." : c < 0 ? "giảm \(-c) bậc." : "không đổi.")
            default: ""
            }
            out.append("Hạng \(u.rank)\(unitCount.map { "/\($0)" } ?? "") theo chỉ số chưa làm tròn; các đơn vị bằng chỉ số cùng hạng.\(change)")
        } else {
            out.append("Không xếp hạng: đơn vị chưa nộp bản tự đánh giá.")
        }
        if let band = u.band {
            let above = configuration.bands.bands.last { $0.minPercent > band.minPercent }
            let range = band.minPercent.isFinite
                ? "từ \(pct(band.minPercent))" + (above.map { " đến dưới \(pct($0.minPercent))" } ?? " trở lên")
                : (above.map { "dưới \(pct($0.minPercent))" } ?? "mọi chỉ số")
            out.append("Nhóm “\(band.label)”: chỉ số \(range).")
        } else {
            out.append("Không thuộc nhóm nào: chỉ số dưới ngưỡng thấp nhất.")
        }
        // The rating: the first rule met, tried in order, on the rated fields.
        let rated = configuration.rating.fieldCodes.map { codes in u.fields.filter { codes.contains($0.code) } }
            ?? u.fields.filter { f in layout.nodeIndexByCode[f.code].map { layout.nodes[$0].role == .scored } ?? false }
        let weakest = rated.compactMap { f in f.percent.map { (f.code, $0) } }.min { $0.1 < $1.1 }
        let matched = configuration.rating.rules.first { r in
            u.indexPercent >= r.minIndexPercent && (r.minFieldPercent.map { floor in (weakest?.1 ?? .infinity) >= floor } ?? true)
        }
        let weakestText = weakest.map { " (lĩnh vực thấp nhất: \($0.0), \(pct($0.1)))" } ?? ""
        if let r = matched, r.rating == u.rating {
            out.append("Người đứng đầu: “\(u.rating.labelVI)”, mức đầu tiên đạt được: chỉ số từ \(pct(r.minIndexPercent))"
                       + (r.minFieldPercent.map { " và các lĩnh vực xét từ " + pct($0) } ?? "")
                       + "\(weakestText).")
        } else {
            out.append("Người đứng đầu: “\(u.rating.labelVI)”: không đạt mức nào của bảng xếp loại\(weakestText).")
        }
        let review = configuration.review
        if !review.fieldCodes.isEmpty {
            let shown = review.fieldCodes.map { code in "\(code) (\(u.field(code)?.percent.map(pct) ?? "không áp dụng"))" }.joined(separator: ", ")
            out.append(u.requiresReview
                       ? "Phải kiểm điểm: lĩnh vực \(u.reviewFieldCodes.joined(separator: ", ")) dưới \(pct(review.thresholdPercent)) (xét các lĩnh vực \(shown))."
                       : "Không thuộc diện kiểm điểm: các lĩnh vực \(shown) từ \(pct(review.thresholdPercent)) trở lên.")
            if u.flaggedAgainAfterReview {
                out.append("Năm trước đã phải kiểm điểm (lĩnh vực \(u.repeatedReviewFieldCodes.joined(separator: ", "))): không có sự chuyển biến sau kiểm điểm.")
            }
        }
        return out
    }
}
