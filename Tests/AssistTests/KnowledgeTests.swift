import Assist
import Foundation
import HubCore
import Testing

/// The knowledge base: files read with errors that name file and line, BM25 with synonyms
/// across languages, passages, the decision to decline, and diffs between versions.
@Suite struct KnowledgeTests {
    static let articles = try! ArticleLoader.load(path: "samples/assist/kb")
    static let synonyms = try! Synonyms.load(path: "samples/assist/synonyms.txt")
    static let index = KnowledgeIndex(articles: articles, synonyms: synonyms)

    @Test func theSampleKnowledgeBaseIsWhatTheIssueAsks() throws {
        #expect(Self.articles.count >= 30)
        #expect(Set(Self.articles.map(\.lang)) == ["zh", "en"])
        let questions = try JSONLines.read(KnowledgeQuestion.self, from: "samples/assist/kb-questions.jsonl")
        #expect(questions.count >= 150)
        #expect(Double(questions.filter(\.answerIDs.isEmpty).count) / Double(questions.count) >= 0.2)
        let ids = Set(Self.articles.map(\.id))
        for question in questions { #expect(question.answerIDs.allSatisfy(ids.contains), "\(question.text)") }
    }

    @Test(arguments: [
        ("退款多久到账", "kb-refunds"),
        ("可以开公司抬头的发票吗", "kb-invoices"),
        ("how do i change my shipping address", "kb-change-address-en"),
        ("收不到验证码怎么办", "kb-account-security"),
        ("do you accept paypal", "kb-payment-methods-en"),
    ])
    func questionsFindTheirArticle(question: String, article: String) {
        let search = Self.index.search(question)
        #expect(search.hits.first?.id == article, "\(question): \(search.hits.map(\.id))")
        #expect(search.answerable, "\(question): \(search.reason)")
        #expect(search.hits.first?.passage.isEmpty == false)
    }

    @Test func unrelatedQuestionsAreDeclinedWithAReason() {
        for question in ["are you hiring", "你们招聘客服吗", "what is the capital of france"] {
            let search = Self.index.search(question)
            #expect(!search.answerable, "\(question): \(search.reason)")
            #expect(!search.reason.isEmpty)
        }
    }

    @Test func synonymsReachAnArticleInTheOtherLanguage() throws {
        let chineseOnly = Self.articles.filter { $0.lang == "zh" }
        let index = KnowledgeIndex(articles: chineseOnly, synonyms: Self.synonyms)
        #expect(index.search("invoice for my company", lang: "en").hits.first?.id == "kb-invoices")
        let bare = KnowledgeIndex(articles: chineseOnly)
        #expect(bare.search("invoice for my company", lang: "en").hits.isEmpty)
    }

    @Test func draftsAreNotServed() {
        var articles = Self.articles
        let position = articles.firstIndex { $0.id == "kb-refunds" }!
        articles[position].status = "draft"
        let index = KnowledgeIndex(articles: articles, synonyms: Self.synonyms)
        #expect(!index.search("退款多久到账").hits.contains { $0.id == "kb-refunds" })
    }

    @Test(arguments: [
        ("id: x\ntitle: t\n---\nbody", 1, "expected front matter"),
        ("---\nid: x\ntitle: t\n", 4, "not closed"),
        ("---\nid: x\ntitle: t\nbody without a colon", 4, "expected \"key: value\""),
        ("---\nid: x\ntitle: t\ncolour: red\n---\nbody", 4, "unknown front matter key \"colour\""),
        ("---\nid: x\n---\nbody", 1, "needs \"title\""),
        ("---\nid: x\ntitle: t\nlang: fr\n---\nbody", 4, "lang must be zh or en"),
        ("---\nid: x\ntitle: t\ntags: a, b\n---\nbody", 4, "tags must be a list"),
    ])
    func aBadMarkdownArticleNamesItsLine(text: String, line: Int, reason: String) {
        do {
            _ = try ArticleLoader.markdown(text, file: "bad.md")
            Issue.record("accepted: \(text)")
        } catch let error as JSONLinesError {
            #expect(error.file == "bad.md" && error.line == line, "\(error)")
            #expect(error.reason.contains(reason), "\(error)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func aBadJSONLinesFileNamesItsLine() throws {
        let text = """
            {"id": "a", "title": "A", "lang": "en", "body": "one"}

            {"id": "b", "title": "B", "lang": "en"}
            """
        #expect {
            _ = try JSONLines.decode(KnowledgeArticle.self, text: text, file: "kb.jsonl")
        } throws: { error in
            (error as? JSONLinesError)?.description == "kb.jsonl:3: missing \"body\""
        }
        #expect(throws: JSONLinesError.self) { try JSONLines.decode(KnowledgeArticle.self, text: "{not json", file: "x.jsonl") }
    }

    @Test func aSynonymLineWithOneWordIsAnError() {
        #expect(throws: JSONLinesError.self) { try Synonyms(parsing: "# fine\n快递 = parcel\nlonely\n", file: "s.txt") }
    }

    @Test func diffsShowRemovedThenAddedLines() {
        #expect(LineDiff.unified(from: "a\nb\nc", to: "a\nB\nc") == " a\n-b\n+B\n c")
        #expect(LineDiff.unified(from: "same", to: "same") == "")
        #expect(LineDiff.unified(from: "", to: "new").contains("+new"))
    }

    @Test func searchOfHugeOrOddQueriesDoesNotFail() {
        #expect(Self.index.search("").hits.isEmpty)
        _ = Self.index.search(String(repeating: "退款 refund ", count: 50_000))
        _ = Self.index.search("😊😊")
    }
}
