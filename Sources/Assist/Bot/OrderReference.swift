package import Foundation
import HubCore

/// Which of the customer's orders a turn speaks about: by number (order or tracking), by
/// position in the list the bot gave ("the second one", "第二个"), by item ("the towels",
/// "耳机那单"), by when it was bought ("昨天买的那个", "yesterday's") or by its state ("the one
/// that shipped", "没发货的").
package enum OrderReference {
    /// What a turn says about orders.
    package enum Resolution: Sendable, Hashable {
        /// The turn names these orders (one, or several that fit equally).
        case orders([BotOrder])
        /// The turn names a number that is none of this customer's orders or parcels.
        case unknown(String)
        /// The turn names no order.
        case none
    }

    /// Resolves `text` against `orders`; `listed` is the list the bot just gave (for ordinals).
    package static func resolve(_ text: String, orders: [BotOrder], listed: [BotOrder] = [], now: Date, timeZone: TimeZone) -> Resolution {
        let folded = fold(text)
        // Numbers first: they are the strongest reference, and an unknown one must be said so.
        let numbers = candidateNumbers(in: folded)
        if !numbers.isEmpty {
            var found: [BotOrder] = []
            var unknown: String?
            for number in numbers {
                let digits = number.filter(\.isNumber)
                if let order = orders.first(where: { matches(number: number, digits: digits, order: $0) }) {
                    if !found.contains(order) { found.append(order) }
                } else if unknown == nil, looksLikeOrderOrParcel(number, in: folded) {
                    unknown = number
                }
            }
            if !found.isEmpty { return .orders(found) }
            if let unknown { return .unknown(unknown) }
        }
        let pool = listed.isEmpty ? orders : listed
        if !listed.isEmpty, let position = ordinal(in: folded, count: listed.count) { return .orders([listed[position]]) }
        var narrowed = pool
        var named = false
        if let byItem = byItems(folded, pool), !byItem.isEmpty {
            narrowed = byItem
            named = true
        }
        if let byDay = byDay(folded, narrowed, now: now, timeZone: timeZone), !byDay.isEmpty {
            narrowed = byDay
            named = true
        }
        if let byState = byState(folded, narrowed), !byState.isEmpty, byState.count < narrowed.count {
            narrowed = byState
            named = true
        }
        return named ? .orders(narrowed) : .none
    }

    static func fold(_ text: String) -> String {
        TextNormalizer.normalize(text)
    }

    // MARK: Numbers

    /// Runs that could be an order or tracking number: 4+ digits, or letters with 6+ digits.
    static func candidateNumbers(in text: String) -> [String] {
        GroundingGuard.tokens(of: text).filter { token in
            let digits = token.filter(\.isNumber).count
            let letters = token.filter(\.isLetter).count
            // Times and dates ("16:00", "12-05") are not numbers of anything.
            if token.contains(":") { return false }
            return (letters == 0 && digits >= 4 && !token.contains("-")) || (letters > 0 && letters <= 4 && digits >= 6)
        }
    }

    static func matches(number: String, digits: String, order: BotOrder) -> Bool {
        if !digits.isEmpty && (digits == order.number || digits == order.id) { return true }
        if let tracking = order.tracking?.uppercased(), tracking == number.uppercased() { return true }
        return false
    }

    /// A number that is not a phone, an amount or a year: one the customer means as an order or parcel.
    static func looksLikeOrderOrParcel(_ number: String, in text: String) -> Bool {
        let digits = number.filter(\.isNumber)
        if number.contains(".") { return false }
        if digits.count == 11 && digits.hasPrefix("1") && number.allSatisfy(\.isNumber) { return false }
        if digits.count == 4, let year = Int(digits), (2000...2100).contains(year) { return false }
        return true
    }

    // MARK: Ordinals

    static let englishOrdinals: [(String, Int)] = [
        ("first", 0), ("1st", 0), ("second", 1), ("2nd", 1), ("third", 2), ("3rd", 2), ("fourth", 3), ("4th", 3), ("fifth", 4), ("5th", 4),
    ]
    static let chineseNumerals: [Character: Int] = ["一": 0, "二": 1, "两": 1, "三": 2, "四": 3, "五": 4, "1": 0, "2": 1, "3": 2, "4": 3, "5": 4]

    /// The 0-based position a turn picks from a list of `count`, if it picks one.
    static func ordinal(in text: String, count: Int) -> Int? {
        func valid(_ index: Int) -> Int? { index < count ? index : nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
        if let number = Int(trimmed), number >= 1 { return valid(number - 1) }
        if text.contains("last one") || text.contains("the last") || text.contains("最后") { return count - 1 }
        if text.contains("the other") || text.contains("另一") || text.contains("另外那") { return nil }
        for (word, index) in englishOrdinals where containsWord(text, word) { return valid(index) }
        // 第二个, 第2单, 第三笔
        if let range = text.range(of: "第"), let next = text[range.upperBound...].first, let index = chineseNumerals[next] {
            return valid(index)
        }
        // "no. 2", "number 2", "option 2"
        for prefix in ["no. ", "no.", "number ", "option ", "#"] {
            if let range = text.range(of: prefix), let next = text[range.upperBound...].first, let digit = next.wholeNumberValue,
                text[range.upperBound...].dropFirst().first.map({ !$0.isNumber }) ?? true
            {
                return digit >= 1 ? valid(digit - 1) : nil
            }
        }
        return nil
    }

    static func containsWord(_ text: String, _ word: String) -> Bool {
        var start = text.startIndex
        while let range = text.range(of: word, range: start..<text.endIndex) {
            let before = range.lowerBound == text.startIndex ? " " : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? " " : text[range.upperBound]
            if !before.isLetter && !after.isLetter { return true }
            start = range.upperBound
        }
        return false
    }

    // MARK: Items

    static let stopWords: Set<String> = [
        "the", "one", "ones", "and", "for", "with", "set", "pack", "pcs", "order", "item", "that", "this", "which", "what", "where",
        "my", "your", "you", "about", "from", "have", "has", "was", "are", "is", "bought",
    ]

    /// Orders whose items the turn names, best match only; `nil` when it names none.
    static func byItems(_ text: String, _ orders: [BotOrder]) -> [BotOrder]? {
        let words = Set(englishWords(text))
        let han = hanBigrams(text)
        var best = 0
        var chosen: [BotOrder] = []
        for order in orders {
            var score = 0
            for item in order.items {
                let folded = fold(item)
                score += Set(englishWords(folded)).intersection(words).count * 2
                score += hanBigrams(folded).intersection(han).count
            }
            if score > best {
                best = score
                chosen = [order]
            } else if score == best && score > 0 {
                chosen.append(order)
            }
        }
        return best > 0 ? chosen : nil
    }

    /// Lower-case words of 3+ letters, plural endings dropped, stop words left out.
    static func englishWords(_ text: String) -> [String] {
        text.split { !$0.isLetter || !$0.isASCII }.map(String.init).filter { $0.count >= 3 && !stopWords.contains($0) }.map { word in
            if word.hasSuffix("ies") && word.count > 4 { return String(word.dropLast(3)) + "y" }
            if word.hasSuffix("es") && word.count > 4 && (word.hasSuffix("ches") || word.hasSuffix("shes") || word.hasSuffix("xes")) {
                return String(word.dropLast(2))
            }
            if word.hasSuffix("s") && !word.hasSuffix("ss") && word.count > 3 { return String(word.dropLast()) }
            return word
        }
    }

    static let hanStopBigrams: Set<String> = ["那个", "这个", "一个", "订单", "快递", "包裹", "买的", "东西", "那单", "这单", "一下"]

    static func hanBigrams(_ text: String) -> Set<String> {
        var result = Set<String>()
        var run: [Character] = []
        func flush() {
            if run.count >= 2 {
                for index in 0..<(run.count - 1) { result.insert(String(run[index...index + 1])) }
            }
            run = []
        }
        for character in text {
            if let scalar = character.unicodeScalars.first, (0x4E00...0x9FFF).contains(scalar.value) {
                run.append(character)
            } else {
                flush()
            }
        }
        flush()
        return result.subtracting(hanStopBigrams)
    }

    // MARK: Days

    /// Orders bought on the day the turn names (today, yesterday, the day before, a weekday,
    /// last week); `nil` when it names none.
    static func byDay(_ text: String, _ orders: [BotOrder], now: Date, timeZone: TimeZone) -> [BotOrder]? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let today = calendar.startOfDay(for: now)
        func daysAgo(_ order: BotOrder) -> Int {
            calendar.dateComponents([.day], from: calendar.startOfDay(for: order.placed), to: today).day ?? 0
        }
        var wanted: ClosedRange<Int>?
        if text.contains("大前天") {
            wanted = 3...3
        } else if text.contains("前天") || text.contains("day before yesterday") {
            wanted = 2...2
        } else if text.contains("昨天") || text.contains("昨晚") || text.contains("yesterday") || text.contains("last night") {
            wanted = 1...1
        } else if text.contains("今天") || text.contains("today") || text.contains("this morning") || text.contains("今早") {
            wanted = 0...0
        } else if text.contains("上周") || text.contains("上个星期") || text.contains("last week") {
            wanted = 7...13
        } else if text.contains("上个月") || text.contains("last month") {
            wanted = 28...62
        }
        if wanted == nil {
            let weekdays: [(String, Int)] = [
                ("monday", 2), ("tuesday", 3), ("wednesday", 4), ("thursday", 5), ("friday", 6), ("saturday", 7), ("sunday", 1),
                ("周一", 2), ("周二", 3), ("周三", 4), ("周四", 5), ("周五", 6), ("周六", 7), ("周日", 1), ("周天", 1),
                ("星期一", 2), ("星期二", 3), ("星期三", 4), ("星期四", 5), ("星期五", 6), ("星期六", 7), ("星期天", 1), ("星期日", 1),
            ]
            for (word, weekday) in weekdays where text.contains(word) {
                let todayWeekday = calendar.component(.weekday, from: now)
                var back = (todayWeekday - weekday + 7) % 7
                if back == 0 { back = 7 }
                wanted = back...back
                break
            }
        }
        guard let wanted else { return nil }
        return orders.filter { wanted.contains(daysAgo($0)) }
    }

    // MARK: States

    /// Orders in the state the turn names ("the one that shipped", "没发货的"); `nil` when it names none.
    static func byState(_ text: String, _ orders: [BotOrder]) -> [BotOrder]? {
        if text.contains("没发货") || text.contains("未发货") || text.contains("还没发") || text.contains("not shipped")
            || text.contains("hasn't shipped") || text.contains("unshipped")
        {
            return orders.filter(\.status.isUnshipped)
        }
        if text.contains("已发货") || text.contains("发货了的") || text.contains("已经发了") || text.contains("that shipped")
            || text.contains("already shipped") || text.contains("on its way")
        {
            return orders.filter { $0.status == .shipped }
        }
        return nil
    }
}
