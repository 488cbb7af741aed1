/// The outcome of one `WAFContext.run` call.
public struct WAFResult: Sendable {
    /// Rules that matched during this call (a rule is reported at most once per context).
    public var events: [WAFEvent]
    /// Actions requested by the matching rules, without duplicates, in rule order.
    public var actions: [WAFAction]
    /// The budget ran out before every rule was evaluated; `events` holds what was found until then.
    public var timedOut: Bool
    /// Engine time spent in this call.
    public var duration: Duration
    /// Attributes rules asked to attach to the request's trace (libddwaf's rule `output.attributes`).
    public var attributes: [String: WAFValue]

    public init(
        events: [WAFEvent] = [], actions: [WAFAction] = [], timedOut: Bool = false, duration: Duration = .zero,
        attributes: [String: WAFValue] = [:]
    ) {
        self.events = events
        self.actions = actions
        self.timedOut = timedOut
        self.duration = duration
        self.attributes = attributes
    }

    /// True when an action asks to block or redirect the request.
    public var isBlocking: Bool { actions.contains(where: \.isBlocking) }
}
