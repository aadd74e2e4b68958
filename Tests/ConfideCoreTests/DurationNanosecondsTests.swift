import ConfideCore
import Testing

@Suite struct DurationNanosecondsTests {
    /// Whole nanoseconds: exact for ordinary durations, sub-nanosecond parts dropped, saturating beyond Int64.
    @Test func wholeNanoseconds() {
        #expect(Duration.zero.wholeNanoseconds == 0)
        #expect(Duration.milliseconds(1500).wholeNanoseconds == 1_500_000_000)
        #expect(Duration.nanoseconds(-7).wholeNanoseconds == -7)
        #expect((Duration.nanoseconds(3) + .init(secondsComponent: 0, attosecondsComponent: 999_999_999)).wholeNanoseconds == 3)
        #expect(Duration.seconds(Int64.max).wholeNanoseconds == .max)
        #expect(Duration.seconds(Int64.min).wholeNanoseconds == .min)
    }
}
