/// The end of a run's time budget. Reading the clock costs about 100 ns on a virtual machine (more than a cached
/// value's whole check), so work is weighed and the clock read once per 64 units: a value answered by the
/// clean-value cache or a rule decided by flags weighs little, a value transformed and matched weighs more.
struct Deadline {
    let end: ContinuousClock.Instant
    let enforced: Bool
    private var countdown = 0
    private(set) var expired = false

    init(budget: Duration, enforced: Bool = true, start: ContinuousClock.Instant = .now) {
        end = start.advanced(by: budget)
        self.enforced = enforced
    }

    private init(end: ContinuousClock.Instant, enforced: Bool) {
        self.end = end
        self.enforced = enforced
    }

    /// This deadline, not enforced (modules that ignore the budget), without reading the clock.
    var unenforced: Deadline { Deadline(end: end, enforced: false) }

    /// Checks the clock now.
    mutating func check() -> Bool {
        guard enforced else { return false }
        if !expired && ContinuousClock.now >= end { expired = true }
        return expired
    }

    /// Counts `weight` units of work and checks the clock once 64 units have passed since the last check.
    mutating func tick(weight: Int = 8) -> Bool {
        guard enforced else { return false }
        if expired { return true }
        countdown &-= weight
        if countdown > 0 { return false }
        countdown = 64
        return check()
    }
}

/// The budget ran out in the middle of evaluation.
struct DeadlineExceeded: Error {}
