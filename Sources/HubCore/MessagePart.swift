/// One piece of a message's content, in the hub's channel-neutral model.
///
/// Adapters render the parts their channel supports; the rest degrade to text
/// (see ``ChannelCapabilities/degrade(_:)``).
package enum MessagePart: Sendable, Hashable, Codable {
    case text(String)
    case image(url: String, caption: String?)
    case file(url: String, name: String, mimeType: String?, size: Int?)
    case location(latitude: Double, longitude: Double, label: String?)
    case buttons(text: String, buttons: [MessageButton])
    case quickReplies(text: String, replies: [String])
    case card(title: String, text: String?, imageURL: String?, link: String?)

    /// The kind of this part, used in capability sets.
    package var kind: MessagePartKind {
        switch self {
        case .text: .text
        case .image: .image
        case .file: .file
        case .location: .location
        case .buttons: .buttons
        case .quickReplies: .quickReplies
        case .card: .card
        }
    }

    /// A readable text rendering, used for search, summaries and degradation.
    package var plainText: String {
        switch self {
        case .text(let text):
            return text
        case .image(let url, let caption):
            return [caption, url].compactMap { $0 }.joined(separator: " ")
        case .file(let url, let name, _, _):
            return "\(name) \(url)"
        case .location(let latitude, let longitude, let label):
            let point = "\(latitude),\(longitude)"
            return label.map { "\($0) (\(point))" } ?? point
        case .buttons(let text, let buttons):
            return ([text] + buttons.map { "[\($0.title)]" }).joined(separator: "\n")
        case .quickReplies(let text, let replies):
            return ([text] + replies.map { "[\($0)]" }).joined(separator: "\n")
        case .card(let title, let text, _, let link):
            return [title, text, link].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n")
        }
    }

    private enum CodingKeys: String, CodingKey {
        case type, text, url, caption, name, mimeType = "mime_type", size, latitude, longitude, label
        case buttons, replies, title, imageURL = "image_url", link
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let kind = try container.decode(MessagePartKind.self, forKey: .type)
        switch kind {
        case .text:
            self = .text(try container.decode(String.self, forKey: .text))
        case .image:
            self = .image(
                url: try container.decode(String.self, forKey: .url),
                caption: try container.decodeIfPresent(String.self, forKey: .caption))
        case .file:
            self = .file(
                url: try container.decode(String.self, forKey: .url),
                name: try container.decode(String.self, forKey: .name),
                mimeType: try container.decodeIfPresent(String.self, forKey: .mimeType),
                size: try container.decodeIfPresent(Int.self, forKey: .size))
        case .location:
            self = .location(
                latitude: try container.decode(Double.self, forKey: .latitude),
                longitude: try container.decode(Double.self, forKey: .longitude),
                label: try container.decodeIfPresent(String.self, forKey: .label))
        case .buttons:
            self = .buttons(
                text: try container.decode(String.self, forKey: .text),
                buttons: try container.decode([MessageButton].self, forKey: .buttons))
        case .quickReplies:
            self = .quickReplies(
                text: try container.decode(String.self, forKey: .text),
                replies: try container.decode([String].self, forKey: .replies))
        case .card:
            self = .card(
                title: try container.decode(String.self, forKey: .title),
                text: try container.decodeIfPresent(String.self, forKey: .text),
                imageURL: try container.decodeIfPresent(String.self, forKey: .imageURL),
                link: try container.decodeIfPresent(String.self, forKey: .link))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .type)
        switch self {
        case .text(let text):
            try container.encode(text, forKey: .text)
        case .image(let url, let caption):
            try container.encode(url, forKey: .url)
            try container.encodeIfPresent(caption, forKey: .caption)
        case .file(let url, let name, let mimeType, let size):
            try container.encode(url, forKey: .url)
            try container.encode(name, forKey: .name)
            try container.encodeIfPresent(mimeType, forKey: .mimeType)
            try container.encodeIfPresent(size, forKey: .size)
        case .location(let latitude, let longitude, let label):
            try container.encode(latitude, forKey: .latitude)
            try container.encode(longitude, forKey: .longitude)
            try container.encodeIfPresent(label, forKey: .label)
        case .buttons(let text, let buttons):
            try container.encode(text, forKey: .text)
            try container.encode(buttons, forKey: .buttons)
        case .quickReplies(let text, let replies):
            try container.encode(text, forKey: .text)
            try container.encode(replies, forKey: .replies)
        case .card(let title, let text, let imageURL, let link):
            try container.encode(title, forKey: .title)
            try container.encodeIfPresent(text, forKey: .text)
            try container.encodeIfPresent(imageURL, forKey: .imageURL)
            try container.encodeIfPresent(link, forKey: .link)
        }
    }
}

/// The kinds of ``MessagePart``, as named on the wire and in capability sets.
package enum MessagePartKind: String, Sendable, Hashable, Codable, CaseIterable {
    case text, image, file, location, buttons
    case quickReplies = "quick_replies"
    case card
}

/// A button on a ``MessagePart/buttons(text:buttons:)`` part: a postback payload or a link.
package struct MessageButton: Sendable, Hashable, Codable {
    package var title: String
    package var payload: String?
    package var url: String?

    package init(title: String, payload: String? = nil, url: String? = nil) {
        self.title = title
        self.payload = payload
        self.url = url
    }
}

extension Array where Element == MessagePart {
    /// All parts as one readable text, parts separated by blank lines.
    package var plainText: String {
        map(\.plainText).filter { !$0.isEmpty }.joined(separator: "\n\n")
    }
}
