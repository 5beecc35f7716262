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

/// Turns any error a command throws into a message and an exit code.
public func userFacing(_ error: any Error) -> UserError {
    switch error {
    case let e as UserError: return e
    case let e as SpecError: return UserError(e.description)
    default: return UserError(String(describing: error))
    }
}
