import Foundation

/// Reading a file a user named, with the true reason when it cannot be read: "no such file",
/// "is a directory", "permission denied" and the like (not "no such file" for all of them).
public enum InputFile {
    public struct Unreadable: Error, CustomStringConvertible {
        public let path: String
        /// Why, in a few words (no path).
        public let reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// The file's bytes.
    public static func read(_ path: String) throws(Unreadable) -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw Unreadable(path: path, reason: "no such file")
        }
        if isDirectory.boolValue { throw Unreadable(path: path, reason: "is a directory, not a file") }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw Unreadable(path: path, reason: "not readable (\(reason(error)))")
        }
    }

    /// A short reason for a Foundation file error, without its domain and code.
    public static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let u = ns.userInfo[NSUnderlyingErrorKey] as? NSError, u.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(u.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        switch CocoaError.Code(rawValue: ns.code) {
        case .fileNoSuchFile, .fileReadNoSuchFile: return "no such file or directory"
        case .fileWriteNoPermission, .fileReadNoPermission: return "permission denied"
        case .fileWriteOutOfSpace: return "no space left on the device"
        case .fileWriteFileExists: return "a file exists there"
        case .fileReadCorruptFile: return "not readable as expected"
        default: return ns.localizedFailureReason ?? "error \(ns.code)"
        }
    }
}
