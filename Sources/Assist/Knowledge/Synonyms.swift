import Foundation

/// Words that mean the same to a customer (快递 = 物流 = 包裹 = parcel = package). A question
/// that says one finds articles that say another; across languages too, so that an English
/// question can reach a Chinese article. File format: one group a line, `=` between words,
/// `#` for comments.
package struct Synonyms: Sendable {
    /// For each term, the terms of the other members of its groups.
    private var expansions: [String: [[String]]] = [:]
    /// Multi-term members (Chinese words, English phrases), matched on the question's terms.
    private var phrases: [[String]: [[String]]] = [:]

    package init() {}

    package init(parsing text: String, file: String = "synonyms") throws {
        for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            if content.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let members = content.split(separator: "=").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard members.count >= 2 else {
                throw JSONLinesError(file: file, line: offset + 1, reason: "a synonym group needs two or more words joined by =")
            }
            add(members)
        }
    }

    package static func load(path: String) throws -> Synonyms {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw JSONLinesError(file: path, line: 0, reason: "cannot be read as UTF-8")
        }
        return try Synonyms(parsing: text, file: path)
    }

    mutating func add(_ members: [String]) {
        let termLists = members.map(Self.keyTerms).filter { !$0.isEmpty }
        for (index, terms) in termLists.enumerated() {
            let others = termLists.enumerated().filter { $0.offset != index }.map(\.element)
            phrases[terms, default: []].append(contentsOf: others)
        }
    }

    /// The terms a member stands for: a Chinese word is its bigrams (or its one character), an
    /// English word its stem.
    static func keyTerms(_ member: String) -> [String] {
        let terms = SearchTerms.terms(of: member)
        let bigrams = terms.filter { $0.unicodeScalars.count == 2 && CharacterClass($0.unicodeScalars.first!) == .han }
        if !bigrams.isEmpty { return bigrams }
        return terms
    }

    /// Terms to add to a question whose terms are `terms`: the other members of every group
    /// one of whose members the question contains.
    func expansion(of terms: [String]) -> [String] {
        let present = Set(terms)
        var added: [String] = []
        for (phrase, others) in phrases where phrase.allSatisfy(present.contains) {
            for other in others { added.append(contentsOf: other.filter { !present.contains($0) }) }
        }
        return added
    }
}
