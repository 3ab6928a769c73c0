import Foundation
import ParIndexCore
import AsyncKit
import FluentPostgresDriver
import FluentSQLiteDriver

/// Storage that cannot take a write — a full disk, an evidence folder that cannot be written,
/// a database opened read-only or unreachable — told to the user as what it is (issue 20: these
/// answered "lỗi hệ thống"). Nothing half-written stays behind: a write transaction rolls back,
/// and an evidence file is written before its row, under a temporary name.
package enum StorageFault: DomainError, Equatable {
    case databaseReadOnly
    case databaseFull
    case databaseUnavailable
    /// Every database connection stayed busy for the whole wait: overload, not a fault.
    case databaseBusy
    case filesUnwritable
    case filesFull

    package var code: String {
        switch self {
        case .databaseReadOnly: "storage.database_read_only"
        case .databaseFull, .filesFull: "storage.full"
        case .databaseUnavailable: "storage.database_unavailable"
        case .databaseBusy: "storage.busy"
        case .filesUnwritable: "storage.files_unwritable"
        }
    }

    package var messageVI: String {
        let unchanged = " Chưa có gì được lưu; dữ liệu đã nhập vẫn còn nguyên. Vui lòng báo quản trị hệ thống."
        return switch self {
        case .databaseReadOnly: "Cơ sở dữ liệu đang ở chế độ chỉ đọc, không ghi được thay đổi." + unchanged
        case .databaseFull: "Ổ đĩa của cơ sở dữ liệu đã đầy, không ghi được thay đổi." + unchanged
        case .databaseUnavailable: "Không kết nối được cơ sở dữ liệu." + unchanged
        case .databaseBusy: "Hệ thống đang bận, chưa xử lý được yêu cầu; chưa có gì được lưu. Vui lòng thử lại sau ít giây."
        case .filesUnwritable: "Không ghi được tệp vào thư mục lưu trữ của máy chủ (thư mục không tồn tại hoặc không có quyền ghi)." + unchanged
        case .filesFull: "Ổ đĩa lưu tệp của máy chủ đã đầy." + unchanged
        }
    }

    /// The storage fault behind an error of the database drivers or the file system, if any.
    init?(_ error: any Error) {
        switch error {
        case let f as StorageFault: self = f
        case is ConnectionPoolTimeoutError: self = .databaseBusy
        case let e as SQLiteError:
            switch e.reason {
            case .readOnly, .readonlyInRecovery, .readonlyCantLock, .readonlyInRollback, .readonlyBackingMoved,
                 .readonlyDirectory, .permission: self = .databaseReadOnly
            case .full: self = .databaseFull
            case .cantOpen, .ioError, .ioErrorFailedWrite, .ioErrorFailedSync, .ioErrorFailedRead: self = .databaseUnavailable
            default: return nil
            }
        case let e as PSQLError:
            switch e.serverInfo?[.sqlState] {
            case "25006": self = .databaseReadOnly
            case "53100": self = .databaseFull
            case "53300": self = .databaseBusy  // too_many_connections
            case .some: return nil
            case .none:
                // No server answer at all: the connection could not be made or was lost.
                if e.code == .connectionError || e.code == .serverClosedConnection || e.code == .uncleanShutdown {
                    self = .databaseUnavailable
                } else { return nil }
            }
        case let e as CocoaError where (512 ..< 1024).contains(e.code.rawValue):
            // Only Foundation's write errors (`fileWrite…`): a failed read is not a storage fault.
            let posix = (e.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap { $0.domain == NSPOSIXErrorDomain ? Int32($0.code) : nil }
            if posix == ENOSPC || posix == EDQUOT || e.code == .fileWriteOutOfSpace { self = .filesFull } else { self = .filesUnwritable }
        case let e as POSIXError:
            switch e.code {
            case .ENOSPC, .EDQUOT: self = .filesFull
            case .EROFS, .EACCES, .EPERM, .ENOTDIR: self = .filesUnwritable
            default: return nil
            }
        default:
            return nil
        }
    }
}
