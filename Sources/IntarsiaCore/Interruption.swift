import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What happens when `intarsia` is stopped (SIGINT, SIGTERM, SIGHUP) during a long run: the
/// process groups of running child commands (accuracy oracles) are killed, the run's message
/// (how to resume) is printed, and the process exits with 128 + the signal. Outside a long run
/// (no message set) signals keep their default action.
public final class Interruption: @unchecked Sendable {
    public static let shared = Interruption()

    private let lock = NSLock()
    private var message: String?
    private var groups: Set<Int32> = []
    /// Set once a signal arrived: children started after it are killed at once.
    private var stopping = false
    private var sources: [any DispatchSourceSignal] = []
    private static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// Sets (or clears, with nil) the message printed on interruption; setting it installs the
    /// handlers.
    public func onInterrupt(_ text: String?) {
        lock.lock()
        defer { lock.unlock() }
        message = text
        guard text != nil, sources.isEmpty else { return }
        for sig in Self.signals {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            s.setEventHandler { [unowned self] in self.fire(sig) }
            s.resume()
            sources.append(s)
        }
    }

    /// A child's process group to kill if `intarsia` is stopped (installs the handlers).
    public func track(processGroup: Int32) {
        lock.lock()
        if stopping {
            // Started while the process is being stopped: it goes at once.
            lock.unlock()
            kill(-processGroup, SIGKILL)
            holdIfStopping()
            return
        }
        groups.insert(processGroup)
        let needsInstall = sources.isEmpty
        lock.unlock()
        if needsInstall { onInterrupt(currentMessage() ?? "") }
    }

    /// While the process is being stopped, a thread that would act on a child's result (a child
    /// killed by the stop, whose failure must not be recorded) waits here for the exit instead.
    public func holdIfStopping() {
        lock.lock()
        let s = stopping
        lock.unlock()
        if s { while true { pause() } }
    }

    public func untrack(processGroup: Int32) {
        lock.lock()
        groups.remove(processGroup)
        lock.unlock()
    }

    private func currentMessage() -> String? {
        lock.lock()
        defer { lock.unlock() }
        return message
    }

    private func fire(_ sig: Int32) {
        lock.lock()
        stopping = true
        let text = message
        let pgs = groups
        lock.unlock()
        for g in pgs { kill(-g, SIGTERM) }
        if !pgs.isEmpty {
            usleep(200_000)
            for g in pgs { kill(-g, SIGKILL) }
        }
        let name = sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "SIGHUP"
        let line = "\n" + ((text?.isEmpty ?? true) ? "intarsia stopped by \(name)\n" : text! + "")
        FileHandle.standardError.write(Data(line.utf8))
        _exit(128 + sig)
    }
}
