import Foundation
import Testing
@testable import IntarsiaCore

/// A file that cannot be read is described by what is wrong with it, not always as missing.
@Suite struct InputFileTests {
    @Test func missingDirectoryAndReadableFilesAreToldApart() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("intarsia-inputfile-\(getpid())").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/a.txt"
        try Data("abc".utf8).write(to: URL(fileURLWithPath: file))
        #expect(try InputFile.read(file) == Data("abc".utf8))
        let missing = #expect(throws: InputFile.Unreadable.self) { try InputFile.read(dir + "/none.txt") }
        #expect(missing?.description == "\(dir)/none.txt: no such file")
        let directory = #expect(throws: InputFile.Unreadable.self) { try InputFile.read(dir) }
        #expect(directory?.description == "\(dir): is a directory, not a file")
    }
}
