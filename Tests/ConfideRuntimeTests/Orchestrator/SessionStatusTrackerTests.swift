import Testing

@testable import ConfideRuntime

@Suite struct SessionStatusTrackerTests {
    let start = ContinuousClock.now

    /// A node too busy to answer a few polls keeps its status: the session that then finishes is FINISHED.
    @Test func aSlowNodeIsNotFailed() {
        var tracker = SessionStatusTracker(unreachableGrace: .seconds(15))
        tracker.update([.listed(.running), .listed(.running), .listed(.running)], at: start)
        tracker.update([.listed(.finished), .unreachable("deadline exceeded"), .listed(.finished)], at: start + .seconds(1))
        tracker.update([.listed(.finished), .unreachable("deadline exceeded"), .listed(.finished)], at: start + .seconds(14))
        #expect(tracker.statuses == [.finished, .running, .finished])
        #expect(!tracker.ended && !tracker.decided)
        tracker.update([.listed(.finished), .listed(.finished), .listed(.finished)], at: start + .seconds(15))
        #expect(tracker.statuses == [.finished, .finished, .finished])
        #expect(tracker.ended)
    }

    /// A node silent for the whole grace counts as FAILED, and the wait ends once the others have ended.
    @Test func aSilentNodeFailsAfterTheGrace() {
        var tracker = SessionStatusTracker(unreachableGrace: .seconds(15))
        tracker.update([.listed(.running), .listed(.running), .listed(.running)], at: start)
        tracker.update([.listed(.failed), .listed(.failed), .unreachable("connection refused")], at: start + .seconds(2))
        #expect(tracker.statuses == [.failed, .failed, .running])
        #expect(!tracker.ended && tracker.decided)
        tracker.update([.listed(.failed), .listed(.failed), .unreachable("connection refused")], at: start + .seconds(16))
        #expect(tracker.statuses == [.failed, .failed, .running])
        tracker.update([.listed(.failed), .listed(.failed), .unreachable("connection refused")], at: start + .seconds(17))
        #expect(tracker.statuses == [.failed, .failed, .failed])
        #expect(tracker.ended)
    }

    /// Silence is counted from the first unanswered poll since the last answer.
    @Test func anAnswerRestartsTheGrace() {
        var tracker = SessionStatusTracker(unreachableGrace: .seconds(10))
        tracker.update([.listed(.running), .unreachable("x"), .listed(.running)], at: start)
        tracker.update([.listed(.running), .listed(.running), .listed(.running)], at: start + .seconds(9))
        tracker.update([.listed(.running), .unreachable("x"), .listed(.running)], at: start + .seconds(12))
        #expect(tracker.statuses[1] == .running)
        tracker.update([.listed(.running), .unreachable("x"), .listed(.running)], at: start + .seconds(22))
        #expect(tracker.statuses[1] == .failed)
    }
}
