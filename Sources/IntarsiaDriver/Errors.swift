import Foundation
import IntarsiaNAS
import IntarsiaReports
import IntarsiaSpec

/// An error a command reports to the user, with the process exit code it implies.
public struct UserError: Error, CustomStringConvertible {
    public var description: String
    /// 2: the input is wrong (spec, CSV, option value) or no design meets the constraints.
    public var exitCode: Int32
    public init(_ description: String, exitCode: Int32 = 2) {
        self.description = description
        self.exitCode = exitCode
    }
}

/// Turns any error a command throws into a message and an exit code. Errors of this project
/// carry their own message (file, key or line, value, what is accepted); a Foundation or decoding
/// error that reaches this point is shown without its domain, code and user-info dump.
public func userFacing(_ error: any Error) -> UserError {
    switch error {
    case let e as UserError: return e
    case let e as SpecError: return UserError(e.description)
    case let e as DesignTable.ReadError: return UserError(e.description)
    case let e as OutputError: return UserError(e.description)
    case let e as CSVDesignWriter.CannotResume: return UserError(e.description)
    case let e as DecodingError: return UserError("cannot read the input: \(describeDecoding(e))")
    default:
        let ns = error as NSError
        if ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain {
            let file = (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
            return UserError("\(file.map { "\($0): " } ?? "")\(OutputPath.reason(error)); accepted: a readable input and a writable output path")
        }
        let d = String(describing: error)
        if d.contains("Domain=") || d.contains("UserInfo") || d.contains("Error(") { return UserError("the operation failed (\(OutputPath.reason(error)))") }
        return UserError(d)
    }
}

/// A decoding error in words: where in the document and what was wrong, without Swift's dump.
public func describeDecoding(_ error: any Error) -> String {
    func path(_ keys: [any CodingKey]) -> String {
        let p = keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        return p.isEmpty ? "the top level" : "'\(p)'"
    }
    switch error as? DecodingError {
    case .keyNotFound(let k, let c)?: return "key '\(k.stringValue)' missing at \(path(c.codingPath))"
    case .typeMismatch(let t, let c)?: return "\(path(c.codingPath)) is not \(t == String.self ? "text" : t == Double.self || t == Int.self ? "a number" : "of the expected type")"
    case .valueNotFound(_, let c)?: return "\(path(c.codingPath)) has no value"
    case .dataCorrupted(let c)?: return c.codingPath.isEmpty ? "not valid JSON" : "\(path(c.codingPath)) is malformed"
    default: return "not readable"
    }
}
