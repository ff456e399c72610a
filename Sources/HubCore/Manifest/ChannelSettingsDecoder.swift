/// Decodes a channel's validated settings into the kind's own `Decodable` struct, so an
/// adapter reads `settings.accountSID` instead of looking up `"account_sid"` by name.
///
/// The manifest loader has already checked every value against the kind's
/// ``SettingsSchema`` and filled in defaults, so decoding fails only when the struct and
/// the schema disagree: a programming error in the kind, reported as `invalid_setting`.
///
/// ```swift
/// struct SMSSettings: Decodable {
///     var accountSID: String
///     var from: String?
///     enum CodingKeys: String, CodingKey { case accountSID = "account_sid", from }
/// }
/// let settings = try channel.settings.decode(SMSSettings.self, channel: channel.id)
/// ```
extension ChannelSettings {
    /// Decodes the settings as `type`.
    /// - Parameters:
    ///   - type: the kind's settings struct; its coding keys are the schema's setting names.
    ///   - channel: the channel id, named in the error.
    /// - Throws: `HubError` `invalid_setting` when a key the struct needs is missing or has
    ///   another type than the schema gives it.
    package func decode<Settings: Decodable>(_ type: Settings.Type, channel: String) throws(HubError) -> Settings {
        do {
            return try Settings(from: ChannelSettingsDecoder(settings: self))
        } catch {
            throw HubError(.badRequest, code: "invalid_setting", message: "channel '\(channel)': \(Self.describe(error))")
        }
    }

    private static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?: "setting '\(key.stringValue)' is missing"
        case .typeMismatch(let type, let context)?:
            "setting '\(context.codingPath.map(\.stringValue).joined(separator: "."))' is not \(type)"
        default: "\(error)"
        }
    }
}

/// A `Decoder` over ``ChannelSettings``: a flat map of strings, integers, booleans,
/// durations and string lists.
struct ChannelSettingsDecoder: Decoder {
    let settings: ChannelSettings
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Container<Key>(settings: settings))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch(
            [Any].self, .init(codingPath: codingPath, debugDescription: "channel settings are a map of named values"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(
            Any.self, .init(codingPath: codingPath, debugDescription: "channel settings are a map of named values"))
    }

    struct Container<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let settings: ChannelSettings
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { settings.values.keys.compactMap(Key.init(stringValue:)) }

        func contains(_ key: Key) -> Bool { settings.values[key.stringValue] != nil }

        func decodeNil(forKey key: Key) throws -> Bool { settings.values[key.stringValue] == nil }

        func decode(_ type: String.Type, forKey key: Key) throws -> String {
            if case .string(let value) = try value(key) { return value }
            throw mismatch(type, key)
        }

        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
            if case .boolean(let value) = try value(key) { return value }
            throw mismatch(type, key)
        }

        func decode(_ type: Int.Type, forKey key: Key) throws -> Int {
            if case .integer(let value) = try value(key) { return value }
            throw mismatch(type, key)
        }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let stored = try value(key)
            switch stored {
            case .duration(let value) where type == Duration.self: return value as! T
            case .list(let value) where type == [String].self: return value as! T
            case .string(let value) where type == String.self: return value as! T
            case .integer(let value) where type == Int.self: return value as! T
            case .boolean(let value) where type == Bool.self: return value as! T
            default: throw mismatch(type, key)
            }
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
            -> KeyedDecodingContainer<NestedKey>
        {
            throw mismatch([String: Any].self, key)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw mismatch([Any].self, key)
        }

        func superDecoder() throws -> any Decoder { ChannelSettingsDecoder(settings: settings) }

        func superDecoder(forKey key: Key) throws -> any Decoder { ChannelSettingsDecoder(settings: settings) }

        private func value(_ key: Key) throws -> SettingValue {
            guard let value = settings.values[key.stringValue] else {
                throw DecodingError.keyNotFound(key, .init(codingPath: [key], debugDescription: "no value and no default"))
            }
            return value
        }

        private func mismatch(_ type: Any.Type, _ key: Key) -> DecodingError {
            DecodingError.typeMismatch(type, .init(codingPath: [key], debugDescription: "the schema gives it another type"))
        }
    }
}
