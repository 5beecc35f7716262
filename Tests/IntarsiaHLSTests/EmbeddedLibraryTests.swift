import Foundation
import Testing
@testable import IntarsiaHLS

/// The binary carries the module library and harness (so an installed `intarsia hls` needs no
/// repository); these tests keep the embedded copy equal to the files under templates/hls.
struct EmbeddedLibraryTests {
    @Test func embeddedCopyMatchesTheRepositoryFiles() throws {
        #expect(EmbeddedLibrary.files.count == 7)
        for f in EmbeddedLibrary.files {
            let disk = try String(contentsOf: Toolchain.root.appendingPathComponent(f.source), encoding: .utf8)
            #expect(f.contents + "\n" == disk, "\(f.source) differs from the embedded copy: run scripts/embed-hls-library.sh")
        }
    }

    @Test func everyLibraryFileLandsInTheProject() {
        let destinations = Set(EmbeddedLibrary.files.map(\.destination))
        #expect(destinations == ["src/modules.h", "src/stream_modules.h", "src/intarsia_math.h", "sim/hls_stream.h", "sim/lint_poison.h", "sim/lint.sh", "sim/fetch-ap-types.sh"])
    }

    @Test func apTypesLocationRule() throws {
        let dir = try Toolchain.scratch("locator")
        defer { try? FileManager.default.removeItem(at: dir) }
        let home = dir.appendingPathComponent("home").path
        // 1. an explicit directory, made absolute against the working directory
        #expect(APTypesLocator.resolve(explicit: "x/ap", environment: ["HOME": home], executable: "/nonexistent/intarsia", workingDirectory: "/w") == "/w/x/ap")
        // 2. the environment variable
        #expect(APTypesLocator.resolve(explicit: nil, environment: ["INTARSIA_AP_TYPES": "/opt/ap", "HOME": home], executable: "/nonexistent/intarsia", workingDirectory: "/") == "/opt/ap")
        // 3. .deps/ap_types of a checkout above the executable
        let checkout = dir.appendingPathComponent("repo")
        try FileManager.default.createDirectory(at: checkout.appendingPathComponent(".deps/ap_types"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: checkout.appendingPathComponent(".build/release"), withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: checkout.appendingPathComponent(".deps/ap_types/ap_int.h").path, contents: Data())
        let exe = checkout.appendingPathComponent(".build/release/intarsia").path
        #expect(APTypesLocator.resolve(explicit: nil, environment: ["HOME": home], executable: exe, workingDirectory: "/")
            == checkout.appendingPathComponent(".deps/ap_types").standardizedFileURL.path)
        // 4. otherwise the user's cache, which the project's `make ap_types` fills
        #expect(APTypesLocator.resolve(explicit: nil, environment: ["HOME": home], executable: "/nonexistent/intarsia", workingDirectory: "/")
            == home + "/.cache/intarsia/ap_types")
    }
}
