/// The version `intarsia --version` prints.
public enum IntarsiaVersion {
    public static let current = "0.14.0"
}
