import Foundation
import HubCore
import Testing

/// Ticket numbers in customers' words, survey answers and the status machine.
@Suite struct TicketRulesTests {
    @Test func ticketNumbersAreFoundInTextAndSubjects() {
        #expect(TicketNumber.text(123) == "T-000123")
        #expect(TicketNumber.text(1_234_567) == "T-1234567")
        #expect(TicketNumber.mentioned(in: "Re: [T-000123] photo") == [123])
        #expect(TicketNumber.mentioned(in: "关于工单T-000045的照片，还有 t-0046") == [45, 46])
        #expect(TicketNumber.mentioned(in: "ABT-000123 or T-12 or T-0001x") == [])
        #expect(TicketNumber.id("T-000123") == 123 && TicketNumber.id("77") == 77 && TicketNumber.id("X-1") == nil)
    }

    @Test func surveyAnswersAreScoresWithComments() {
        #expect(SurveyAnswer("5")?.score == 5 && SurveyAnswer("5")?.comment == nil)
        #expect(SurveyAnswer("4分 快递有点慢")?.score == 4)
        #expect(SurveyAnswer("4分 快递有点慢")?.comment == "快递有点慢")
        #expect(SurveyAnswer("不满意，没人回复")?.score == 1)
        #expect(SurveyAnswer("满意")?.score == 5)
        #expect(SurveyAnswer("一般")?.score == 3)
        #expect(SurveyAnswer("⭐⭐⭐ ok")?.score == 3)
        #expect(SurveyAnswer("3 stars - slow courier")?.comment == "slow courier")
        #expect(SurveyAnswer("12 items missing") == nil)
        #expect(SurveyAnswer("where is my order") == nil)
        #expect(SurveyAnswer("6") == nil)
    }

    @Test func theStatusMachineRefusesWhatIsNotWork() {
        #expect(TicketStatus.new.refusal(to: .open) == nil)
        #expect(TicketStatus.solved.refusal(to: .open) == nil)
        #expect(TicketStatus.open.refusal(to: .new) != nil)
        #expect(TicketStatus.open.refusal(to: .closed) != nil)
        #expect(TicketStatus.closed.refusal(to: .open)?.contains("closed") == true)
        #expect(TicketStatus.pending.clockRuns == false && TicketStatus.open.clockRuns)
    }
}
