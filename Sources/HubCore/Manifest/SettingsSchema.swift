/// The settings a channel kind accepts, checked when the manifest loads.
package struct SettingsSchema: Sendable {
    package var specs: [SettingSpec]

    package init(_ specs: [SettingSpec]) {
        self.specs = specs
    }

    package static let empty = SettingsSchema([])
}

/// One setting of a channel kind.
package struct SettingSpec: Sendable {
    package var name: String
    package var type: SettingType
    package var required: Bool
    /// Used when the key is absent and not required.
    package var defaultValue: SettingValue?

    package init(_ name: String, _ type: SettingType, required: Bool = false, default defaultValue: SettingValue? = nil) {
        self.name = name
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
    }
}

/// The type of a setting, which decides how its text is parsed and checked.
package enum SettingType: Sendable {
    case string
    /// A credential: must come from `${ENV}`, never written into the manifest.
    case secret
    /// An absolute URL with one of the schemes.
    case url(schemes: Set<String>)
    case integer(ClosedRange<Int>)
    case boolean
    /// `500ms`, `30s`, `5m`, `1h`.
    case duration
    case stringList
    /// A list of credentials, each from `${ENV}`.
    case secretList

    var expectation: String {
        switch self {
        case .string, .secret: "a string"
        case .url(let schemes): "a URL (\(schemes.sorted().joined(separator: ", ")))"
        case .integer(let range): "an integer from \(range.lowerBound) to \(range.upperBound)"
        case .boolean: "true or false"
        case .duration: "a duration such as 500ms, 30s, 5m or 1h"
        case .stringList, .secretList: "a list of strings"
        }
    }
}

/// A validated setting value.
package enum SettingValue: Sendable, Hashable {
    case string(String)
    case integer(Int)
    case boolean(Bool)
    case duration(Duration)
    case list([String])
}

/// The validated settings of one channel, typed by its kind's schema.
package struct ChannelSettings: Sendable, Hashable {
    package var values: [String: SettingValue]

    package init(_ values: [String: SettingValue] = [:]) {
        self.values = values
    }

    package func string(_ name: String) -> String? {
        if case .string(let value)? = values[name] { return value }
        return nil
    }

    package func integer(_ name: String) -> Int? {
        if case .integer(let value)? = values[name] { return value }
        return nil
    }

    package func boolean(_ name: String) -> Bool? {
        if case .boolean(let value)? = values[name] { return value }
        return nil
    }

    package func duration(_ name: String) -> Duration? {
        if case .duration(let value)? = values[name] { return value }
        return nil
    }

    package func list(_ name: String) -> [String]? {
        if case .list(let value)? = values[name] { return value }
        return nil
    }
}
