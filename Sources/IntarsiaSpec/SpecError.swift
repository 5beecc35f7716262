/// A problem with a design spec, naming the file, the key path, the bad value and what would
/// be accepted.
public struct SpecError: Error, Equatable, CustomStringConvertible {
    public var file: String
    public var key: String
    public var value: String?
    public var problem: String
    public var accepted: String?

    public init(file: String, key: String, value: String? = nil, problem: String, accepted: String? = nil) {
        self.file = file
        self.key = key
        self.value = value
        self.problem = problem
        self.accepted = accepted
    }

    public var description: String {
        var s = "\(file)"
        if !key.isEmpty { s += ": \(key)" }
        if let value { s += ": '\(value)'" }
        s += ": \(problem)"
        if let accepted { s += "; accepted: \(accepted)" }
        return s
    }
}
