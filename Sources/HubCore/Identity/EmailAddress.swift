/// Email addresses in the form the hub compares them.
package enum EmailAddress {
    /// The address lower-cased and trimmed, or `nil` when `text` is not one address.
    ///
    /// Accepts `Name <a@b.c>`, a `mailto:` prefix, a full-width `＠` and a trailing
    /// dot on the domain. Plus-tags are kept: `ann+shop@x.com` may be another person's
    /// mailbox, and merging on a guess cannot be taken back by the customer.
    package static func normalised(_ text: String) -> String? {
        var address = text.trimmingWhitespace()
        if let open = address.lastIndex(of: "<"), let close = address.lastIndex(of: ">"), open < close {
            address = String(address[address.index(after: open)..<close]).trimmingWhitespace()
        }
        if address.lowercased().hasPrefix("mailto:") { address.removeFirst("mailto:".count) }
        address = address.replacingFullWidthAt().lowercased()
        let halves = address.split(separator: "@", omittingEmptySubsequences: false)
        guard halves.count == 2 else { return nil }
        let local = halves[0]
        var domain = halves[1]
        if domain.hasSuffix(".") { domain.removeLast() }
        guard !local.isEmpty, local.utf8.count <= 64, !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else {
            return nil
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }) else { return nil }
        let forbidden: Set<Character> = [" ", "\t", "<", ">", "(", ")", ",", ";", ":", "\\", "\"", "[", "]"]
        guard !address.contains(where: { forbidden.contains($0) || $0.isWhitespace }) else { return nil }
        return local + "@" + domain
    }
}

extension String {
    fileprivate func replacingFullWidthAt() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\u{FF20}" ? "@" : $0 }))
    }
}
