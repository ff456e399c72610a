package import GRDB

/// A Codable record whose Swift names are the table's columns in camelCase: every hub table
/// spells its columns in snake_case, so no record repeats the two strategies.
package protocol SnakeCaseRecord: Codable, FetchableRecord, EncodableRecord {}

extension SnakeCaseRecord {
    package static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    package static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}
