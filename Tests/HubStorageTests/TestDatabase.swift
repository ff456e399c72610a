import Foundation
import HubStorage

/// A fresh database file in a temporary folder, removed when the test ends.
struct TestDatabase {
    let directory: URL
    let database: HubDatabase

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-\(UUID().uuidString)")
        database = try HubDatabase.open(path: directory.appendingPathComponent("hub.sqlite").path)
    }

    var path: String { database.path }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Runs `body` while a group-commit writer serves it, then shuts the writer down.
func withWriter<T: Sendable>(_ database: HubDatabase, _ body: @Sendable (GroupCommitWriter) async throws -> T) async throws -> T {
    let writer = GroupCommitWriter(writer: database.writer)
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            try await writer.run()
            return nil
        }
        let result = try await body(writer)
        group.cancelAll()
        return result
    }
}
