/// The end of a run's time budget. Reading the clock costs a few nanoseconds, so scans check it every few
/// values rather than on each one.
struct Deadline {
    let end: ContinuousClock.Instant
    let enforced: Bool
    private var countdown = 0
    private(set) var expired = false

    init(budget: Duration, enforced: Bool = true) {
        end = ContinuousClock.now.advanced(by: budget)
        self.enforced = enforced
    }

    /// Checks the clock now.
    mutating func check() -> Bool {
        guard enforced else { return false }
        if !expired && ContinuousClock.now >= end { expired = true }
        return expired
    }

    /// Checks the clock every 8th call.
    mutating func tick() -> Bool {
        guard enforced else { return false }
        if expired { return true }
        countdown -= 1
        if countdown > 0 { return false }
        countdown = 8
        return check()
    }
}

/// The budget ran out in the middle of evaluation.
struct DeadlineExceeded: Error {}
